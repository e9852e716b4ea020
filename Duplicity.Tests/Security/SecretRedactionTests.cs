using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Backends.Ssh;
using Duplicity.Backends.Swift;
using Duplicity.Crypto;

namespace Duplicity.Tests.Security;

/// <summary>Every type that holds a password, passphrase, secret key or token prints without it.</summary>
[TestFixture]
[Category("Unit")]
public class SecretRedactionTests
{
    private const string Secret = "s3cr3t-Zq9!value";

    [Test]
    public void SshTargetHidesItsPasswordButShowsTheRest()
    {
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["HOME"] = "/h" } };
        var target = SshTarget.Resolve(BackendUrl.Parse($"sftp://bob:{Secret}@example.org:2222/dir"), open, new SshBackendOptions());
        Assert.That(target.Password, Is.EqualTo(Secret), "the password is resolved");

        var text = target.ToString();

        Assert.That(text, Does.Not.Contain(Secret));
        Assert.That(text, Does.Contain("example.org").And.Contain("2222").And.Contain("bob").And.Contain("Password = ***"));
        // A copy made with 'with' prints the same way.
        Assert.That((target with { Port = 22 }).ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public void SshTargetFromFtpPasswordIsHiddenToo()
    {
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["HOME"] = "/h", ["FTP_PASSWORD"] = Secret } };
        var target = SshTarget.Resolve(BackendUrl.Parse("sftp://bob@example.org/dir"), open, new SshBackendOptions());
        Assert.That(target.ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public void SwiftSettingsAndSessionHidePasswordAndTokens()
    {
        var settings = new SwiftAuthSettings
        {
            AuthUrl = "http://127.0.0.1:8080/auth/v1.0", UserName = "test:tester", Password = Secret,
            PreAuthUrl = new Uri("http://127.0.0.1:8080/v1/AUTH_test"), PreAuthToken = Secret + "-pre",
        };
        var session = new SwiftSession(new Uri("http://127.0.0.1:8080/v1/AUTH_test"), Secret + "-token");

        Assert.That(settings.ToString(), Does.Not.Contain(Secret).And.Contain("test:tester"));
        Assert.That(session.ToString(), Does.Not.Contain(Secret).And.Contain("AUTH_test"));
    }

    [Test]
    public void S3CredentialsFromUrlAndEnvironmentDoNotPrintTheSecretKey()
    {
        var fromUrl = S3Credentials.Resolve(BackendUrl.Parse($"s3://AKIDEXAMPLE:{Secret}@bucket/prefix"), new BackendOpenOptions { Environment = new Dictionary<string, string?>() });
        var fromEnv = S3Credentials.Resolve(BackendUrl.Parse("s3://bucket/prefix"), new BackendOpenOptions
        {
            Environment = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = Secret, ["AWS_SESSION_TOKEN"] = Secret + "-session" },
        });

        Assert.That(fromUrl.Credentials, Is.Not.Null);
        Assert.That(fromEnv.Credentials, Is.Not.Null);
        Assert.That(fromUrl.Credentials!.ToString(), Does.Not.Contain(Secret));
        Assert.That(fromEnv.Credentials!.ToString(), Does.Not.Contain(Secret));
        Assert.That(fromEnv.ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public void BackendUrlAndOpenOptionsDoNotPrintPasswords()
    {
        var url = BackendUrl.Parse($"sftp://bob:{Secret}@example.org/dir");
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["FTP_PASSWORD"] = Secret, ["SWIFT_PASSWORD"] = Secret } };

        Assert.That(url.Password, Is.EqualTo(Secret));
        Assert.That(url.ToString(), Does.Not.Contain(Secret).And.Contain("example.org"));
        Assert.That(open.ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public void EncryptionAndDecryptionOptionsDoNotPrintThePassphrase()
    {
        var source = new FixedPassphraseSource(Secret);
        var encryption = EncryptionOptions.Passphrase(source);
        var decryption = new DecryptionOptions { PassphraseSource = source };

        Assert.That(source.ToString(), Does.Not.Contain(Secret));
        Assert.That(encryption.ToString(), Does.Not.Contain(Secret).And.Contain("passphrase=set"));
        Assert.That(decryption.ToString(), Does.Not.Contain(Secret).And.Contain("passphrase=set"));
        Assert.That((encryption with { Compress = false }).ToString(), Does.Not.Contain(Secret));
    }
}
