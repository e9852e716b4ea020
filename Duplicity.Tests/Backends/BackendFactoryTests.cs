using Duplicity.Backends;
using Duplicity.Backends.Retry;
using Duplicity.Backends.S3;
using Duplicity.Diagnostics;
using Duplicity.Samples;
using Duplicity.Samples.CommandLine;

namespace Duplicity.Tests.Backends;

/// <summary>duplicity's backend options as the console maps them to the backends' settings.</summary>
[Category("Unit")]
public class BackendFactoryTests
{
    private const long MiB = 1024 * 1024;

    private static BackendFactory From(params string[] args) =>
        BackendFactory.From(OptionParser.Parse([.. args, "/src", "file:///dst"]), 200 * MiB);

    [Test]
    public void WithoutOptionsDuplicitysDefaultsApply()
    {
        var f = From();

        Assert.That(f.Retry.NumRetries, Is.EqualTo(5));
        Assert.That(f.Retry.BackendRetryDelay, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(f.Retry.ExponentialBackoff, Is.False, "duplicity waits the same delay before every retry");
        Assert.That(f.Retry.JitterRatio, Is.Zero);
        Assert.That(f.Ssh.SshOptions, Is.Empty);
        Assert.That(f.Ssh.OperationTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)), "the backend's own default without --timeout");
        Assert.That(f.S3.MultipartChunkSize, Is.EqualTo(25 * MiB));
        Assert.That(f.S3.EndpointUrl, Is.Null);
        Assert.That(f.S3.StorageClassFor("duplicity-full.20240101T000000Z.vol1.difftar.gz"), Is.EqualTo("STANDARD"));
        Assert.That(f.S3.Timeout, Is.Null);
        Assert.That(f.Swift.SegmentSize, Is.EqualTo((long)(1.1 * 200 * MiB)), "duplicity's mp_factor x volsize");
        Assert.That(f.Swift.StoragePolicy, Is.Null);
    }

    [Test]
    public void EveryOptionReachesItsSetting()
    {
        var f = From("--ssh-options", "-oIdentityFile=/k1 -oPort=2222", "--ssh-options=-i /k2",
            "--s3-endpoint-url", "http://127.0.0.1:9000", "--s3-region-name", "eu-central-1", "--s3-use-glacier",
            "--s3-use-server-side-kms-encryption", "--s3-kms-key-id", "key-1", "--s3-kms-grant", "id=abc",
            "--s3-multipart-chunk-size", "7", "--s3-multipart-max-procs", "3", "--s3-unencrypted-connection",
            "--mp-segment-size", "50", "--swift-storage-policy", "gold", "--timeout", "12",
            "--num-retries", "3", "--backend-retry-delay", "2");

        Assert.That(f.Ssh.SshOptions, Is.EqualTo(new[] { "-oIdentityFile=/k1 -oPort=2222", "-i /k2" }));
        Assert.That(f.Ssh.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(f.Ssh.OperationTimeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(f.S3.EndpointUrl, Is.EqualTo("http://127.0.0.1:9000"));
        Assert.That(f.S3.RegionName, Is.EqualTo("eu-central-1"));
        Assert.That(f.S3.UseGlacier, Is.True);
        Assert.That(f.S3.StorageClassFor("duplicity-full.20240101T000000Z.vol1.difftar.gz"), Is.EqualTo("GLACIER"));
        Assert.That(f.S3.StorageClassFor("duplicity-full.20240101T000000Z.manifest"), Is.EqualTo("STANDARD"));
        Assert.That(f.S3.UseServerSideKmsEncryption, Is.True);
        Assert.That(f.S3.KmsKeyId, Is.EqualTo("key-1"));
        Assert.That(f.S3.KmsGrant, Is.EqualTo("id=abc"));
        Assert.That(f.S3.MultipartChunkSize, Is.EqualTo(7 * MiB));
        Assert.That(f.S3.MultipartMaxConcurrency, Is.EqualTo(3));
        Assert.That(f.S3.UnencryptedConnection, Is.True);
        Assert.That(f.S3.Timeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(f.Swift.SegmentSize, Is.EqualTo(50 * MiB));
        Assert.That(f.Swift.StoragePolicy, Is.EqualTo("gold"));
        Assert.That(f.Swift.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(f.Retry.NumRetries, Is.EqualTo(3));
        Assert.That(f.Retry.BackendRetryDelay, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [TestCase("--s3-use-ia", "STANDARD_IA")]
    [TestCase("--s3-use-onezone-ia", "ONEZONE_IA")]
    [TestCase("--s3-use-rrs", "REDUCED_REDUNDANCY")]
    [TestCase("--s3-use-glacier-ir", "GLACIER_IR")]
    [TestCase("--s3-use-deep-archive", "DEEP_ARCHIVE")]
    public void EachStorageClassOptionPicksItsClass(string option, string storageClass)
    {
        Assert.That(From(option).S3.StorageClassFor("duplicity-inc.a.to.b.vol1.difftar.gz"), Is.EqualTo(storageClass));
    }

    [Test]
    public void ServerSideEncryptionIsPassedOn()
    {
        Assert.That(From("--s3-use-server-side-encryption").S3.UseServerSideEncryption, Is.True);
        Assert.That(From().S3.UseServerSideEncryption, Is.False);
    }

    [Test]
    public void TheVolumeSizeSetsSwiftsDefaultSegmentSize()
    {
        var f = BackendFactory.From(OptionParser.Parse(["/src", "file:///dst"]), 10 * MiB);
        Assert.That(f.Swift.SegmentSize, Is.EqualTo(11 * MiB));
        Assert.That(From("--mp-segment-size", "0").Swift.SegmentSize, Is.Zero, "0 turns segmenting off");
    }

    [TestCase("--num-retries", "x")]
    [TestCase("--num-retries", "0")]
    [TestCase("--backend-retry-delay", "-1")]
    [TestCase("--timeout", "soon")]
    [TestCase("--s3-multipart-chunk-size", "0")]
    [TestCase("--s3-multipart-max-procs", "1.5")]
    [TestCase("--mp-segment-size", "99999999999")]
    public void BadNumbersAreOptionErrors(string option, string value)
    {
        var error = Assert.Throws<CommandLineException>(() => From(option, value));
        Assert.That(error!.OptionParserStyle, Is.True);
        Assert.That(error.Message, Does.StartWith($"option {option}: "));
    }

    [Test]
    public void ContradictingS3OptionsAreCommandLineErrors()
    {
        Assert.Throws<CommandLineException>(() => From("--s3-use-ia", "--s3-use-rrs"));
        Assert.Throws<CommandLineException>(() => From("--s3-use-server-side-kms-encryption"));   // no key id
        Assert.Throws<CommandLineException>(() => From("--s3-endpoint-url", "not a url"));
    }

    [Test]
    public async Task EveryOpenedBackendIsWrappedForRetries()
    {
        using var tmp = new Support.TempFolder();
        await using var backend = From("--num-retries", "1").Open("file://" + tmp.Path, new BackendOpenOptions());

        Assert.That(backend, Is.InstanceOf<RetryingBackend>());
        await backend.PutAsync("f", new MemoryStream([1, 2, 3]));
        Assert.That(File.ReadAllBytes(Path.Combine(tmp.Path, "f")), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task TheLoggerFactoryOfTheOpenOptionsReachesTheRegistry()
    {
        using var tmp = new Support.TempFolder();
        var log = new Support.RecordingLoggerFactory();

        await using var backend = From().Open("file://" + tmp.Path, new BackendOpenOptions { LoggerFactory = log });

        Assert.That(log.EventIds, Is.EqualTo(new[] { DuplicityEventIds.BackendOpened }));
        Assert.That(log.All.Single(), Does.Contain("file://" + tmp.Path));
    }

    [Test]
    public void TheEnvironmentReachesTheBackend()
    {
        // The URL has no credentials: the S3 backend must take them from the given environment, not the process.
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["AWS_PROFILE"] = "no-such-profile-xyz", ["HOME"] = "/nonexistent" } };
        var error = Assert.Throws<BackendException>(() => From().Open("boto3+s3://bucket/p", open));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(error.Message, Does.Contain("no-such-profile-xyz"));
    }

    [Test]
    public void TheRegistryKnowsEveryScheme()
    {
        Assert.That(From().CreateRegistry().Schemes, Is.SupersetOf(new[] { "file", "sftp", "scp", "s3", "boto3+s3", "s3+http", "swift" }));
    }
}
