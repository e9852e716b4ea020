using Amazon.Runtime;
using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.S3;

[Category("Unit")]
public class S3CredentialsTests
{
    private static readonly BackendUrl Url = BackendUrl.Parse("boto3+s3://bucket/prefix");

    [Test]
    public async Task EnvironmentKeysWin()
    {
        var (credentials, region) = S3Credentials.Resolve(Url, Env(("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "SECRET"), ("AWS_REGION", "eu-west-3")));

        var identity = await credentials!.GetCredentialsAsync();
        Assert.That((identity.AccessKey, identity.SecretKey, identity.Token ?? ""), Is.EqualTo(("AKID", "SECRET", "")));
        Assert.That(region, Is.EqualTo("eu-west-3"));
    }

    [Test]
    public async Task ASessionTokenIsCarried()
    {
        var (credentials, _) = S3Credentials.Resolve(Url, Env(("AWS_ACCESS_KEY_ID", "A"), ("AWS_SECRET_ACCESS_KEY", "S"), ("AWS_SESSION_TOKEN", "T")));

        Assert.That((await credentials!.GetCredentialsAsync()).Token, Is.EqualTo("T"));
    }

    [Test]
    public async Task TheUrlUserAndPasswordComeFirst()
    {
        var url = BackendUrl.Parse("boto3+s3://URLKEY:url%2Fsecret@bucket/p");
        var (credentials, _) = S3Credentials.Resolve(url, Env(("AWS_ACCESS_KEY_ID", "A"), ("AWS_SECRET_ACCESS_KEY", "S")));

        var identity = await credentials!.GetCredentialsAsync();
        Assert.That((identity.AccessKey, identity.SecretKey), Is.EqualTo(("URLKEY", "url/secret")));
    }

    [Test]
    public async Task TheNamedProfileOfTheSharedFilesIsRead()
    {
        using var home = new TempFolder();
        Directory.CreateDirectory(home.Sub(".aws"));
        File.WriteAllText(Path.Combine(home.Sub(".aws"), "credentials"),
            "[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = DEFSECRET\n\n[backup]\naws_access_key_id = BKEY\naws_secret_access_key = BSECRET\n");
        File.WriteAllText(Path.Combine(home.Sub(".aws"), "config"), "[profile backup]\nregion = ap-south-1\n");

        var (named, region) = S3Credentials.Resolve(Url, Env(("HOME", home.Path), ("AWS_PROFILE", "backup")));
        var (fallback, _) = S3Credentials.Resolve(Url, Env(("HOME", home.Path)));

        Assert.That((await named!.GetCredentialsAsync()).AccessKey, Is.EqualTo("BKEY"));
        Assert.That(region, Is.EqualTo("ap-south-1"));
        Assert.That((await fallback!.GetCredentialsAsync()).AccessKey, Is.EqualTo("DEFKEY"));
    }

    [Test]
    public void AMissingNamedProfileIsPermissionDenied()
    {
        using var home = new TempFolder();
        var error = Assert.Throws<BackendException>(() => S3Credentials.Resolve(Url, Env(("HOME", home.Path), ("AWS_PROFILE", "nope"))));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
    }

    [Test]
    public void NothingConfiguredLeavesItToTheSdk()
    {
        using var home = new TempFolder();
        var (credentials, region) = S3Credentials.Resolve(Url, Env(("HOME", home.Path)));
        Assert.That(credentials, Is.Null);
        Assert.That(region, Is.Null);
    }

    private static BackendOpenOptions Env(params (string Key, string Value)[] variables) =>
        new() { Environment = variables.ToDictionary(v => v.Key, v => (string?)v.Value) };
}
