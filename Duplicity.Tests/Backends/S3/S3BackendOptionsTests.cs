using Duplicity.Backends.S3;

namespace Duplicity.Tests.Backends.S3;

[Category("Unit")]
public class S3BackendOptionsTests
{
    [Test]
    public void DefaultsAreDuplicitys()
    {
        var options = new S3BackendOptions();
        Assert.That(options.MultipartChunkSize, Is.EqualTo(25 * 1024 * 1024));
        Assert.That(options.StorageClassFor("duplicity-full.20240101T000000Z.vol1.difftar.gz"), Is.EqualTo("STANDARD"));
        Assert.DoesNotThrow(options.Validate);
    }

    [Test]
    public void OnlyOneStorageClassMayBeChosen()
    {
        Assert.Throws<ArgumentException>(new S3BackendOptions { UseInfrequentAccess = true, UseGlacier = true }.Validate);
        Assert.Throws<ArgumentException>(new S3BackendOptions { UseReducedRedundancy = true, UseOneZoneInfrequentAccess = true }.Validate);
    }

    [TestCase(nameof(S3BackendOptions.UseGlacier), "GLACIER")]
    [TestCase(nameof(S3BackendOptions.UseGlacierInstantRetrieval), "GLACIER_IR")]
    [TestCase(nameof(S3BackendOptions.UseDeepArchive), "DEEP_ARCHIVE")]
    public void ArchiveClassesSpareManifests(string flag, string storageClass)
    {
        var options = new S3BackendOptions();
        typeof(S3BackendOptions).GetProperty(flag)!.SetValue(options, true);

        Assert.That(options.StorageClassFor("duplicity-full.20240101T000000Z.vol1.difftar.gz"), Is.EqualTo(storageClass));
        Assert.That(options.StorageClassFor("duplicity-full.20240101T000000Z.manifest"), Is.EqualTo("STANDARD"));
    }

    [TestCase(nameof(S3BackendOptions.UseInfrequentAccess), "STANDARD_IA")]
    [TestCase(nameof(S3BackendOptions.UseOneZoneInfrequentAccess), "ONEZONE_IA")]
    [TestCase(nameof(S3BackendOptions.UseReducedRedundancy), "REDUCED_REDUNDANCY")]
    public void OtherClassesApplyToEveryFile(string flag, string storageClass)
    {
        var options = new S3BackendOptions();
        typeof(S3BackendOptions).GetProperty(flag)!.SetValue(options, true);

        Assert.That(options.StorageClassFor("duplicity-full.20240101T000000Z.manifest"), Is.EqualTo(storageClass));
    }

    [Test]
    public void KmsNeedsAKeyAndExcludesAes256()
    {
        Assert.Throws<ArgumentException>(new S3BackendOptions { UseServerSideKmsEncryption = true }.Validate);
        Assert.Throws<ArgumentException>(new S3BackendOptions { UseServerSideKmsEncryption = true, KmsKeyId = "k", UseServerSideEncryption = true }.Validate);
        Assert.DoesNotThrow(new S3BackendOptions { UseServerSideKmsEncryption = true, KmsKeyId = "k" }.Validate);
    }

    [Test]
    public void RangesAreChecked()
    {
        Assert.Throws<ArgumentException>(new S3BackendOptions { MultipartChunkSize = 0 }.Validate);
        Assert.Throws<ArgumentException>(new S3BackendOptions { MultipartMaxConcurrency = 0 }.Validate);
        Assert.Throws<ArgumentException>(new S3BackendOptions { EndpointUrl = "not a url" }.Validate);
    }
}
