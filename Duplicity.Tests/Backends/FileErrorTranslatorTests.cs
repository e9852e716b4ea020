using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
public class FileErrorTranslatorTests
{
    [Test]
    public void ClassifiesFileSystemErrors()
    {
        Assert.That(FileErrorTranslator.KindOf(new FileNotFoundException()), Is.EqualTo(BackendErrorKind.NotFound));
        Assert.That(FileErrorTranslator.KindOf(new DirectoryNotFoundException()), Is.EqualTo(BackendErrorKind.NotFound));
        Assert.That(FileErrorTranslator.KindOf(new UnauthorizedAccessException()), Is.EqualTo(BackendErrorKind.PermissionDenied));
        Assert.That(FileErrorTranslator.KindOf(new IOException("EIO", 5)), Is.EqualTo(BackendErrorKind.Transient));
    }

    [Test]
    public void DiskFullIsNoSpace()
    {
        var diskFull = OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28;

        var translated = FileErrorTranslator.Translate(new IOException("No space left on device", diskFull), "write 'v'", "file:///x");

        Assert.That(translated.Kind, Is.EqualTo(BackendErrorKind.NoSpace));
        Assert.That(translated.Code, Is.EqualTo(DuplicityErrorCode.BackendNoSpace));
        Assert.That(translated.Message, Is.EqualTo("Could not write 'v' in file:///x: No space left on device"));
    }

    [Test]
    public void BackendExceptionCodesFollowDuplicity()
    {
        Assert.That(BackendException.CodeFor(BackendErrorKind.NotFound), Is.EqualTo((DuplicityErrorCode)52));
        Assert.That(BackendException.CodeFor(BackendErrorKind.PermissionDenied), Is.EqualTo((DuplicityErrorCode)51));
        Assert.That(BackendException.CodeFor(BackendErrorKind.NoSpace), Is.EqualTo((DuplicityErrorCode)53));
        Assert.That(BackendException.CodeFor(BackendErrorKind.Transient), Is.EqualTo((DuplicityErrorCode)50));
        Assert.That(BackendException.CodeFor(BackendErrorKind.Permanent), Is.EqualTo((DuplicityErrorCode)50));
        Assert.That(new BackendException(BackendErrorKind.Permanent, "m", null, DuplicityErrorCode.BackendCommandError).Code,
            Is.EqualTo(DuplicityErrorCode.BackendCommandError));
    }
}

[Category("Unit")]
public class UploadTempNameTests
{
    [TestCase("duplicity-full.20240101T000000Z.vol1.difftar.gpg")]
    [TestCase("x")]
    [TestCase("ünï 文件")]
    public void CreatedNamesAreRecognised(string name)
    {
        var temp = UploadTempName.Create(name);

        Assert.That(temp, Does.StartWith("." + name + "."));
        Assert.That(UploadTempName.IsTemporary(temp), Is.True);
        Assert.That(UploadTempName.Create(name), Is.Not.EqualTo(temp), "random part differs");
    }

    [Test]
    public void LongNamesGetAShortTemporaryName()
    {
        var temp = UploadTempName.Create(new string('é', 127));

        Assert.That(System.Text.Encoding.UTF8.GetByteCount(temp), Is.LessThanOrEqualTo(255));
        Assert.That(UploadTempName.IsTemporary(temp), Is.True);
    }

    [TestCase("report.tmp")]
    [TestCase(".hidden")]
    [TestCase(".x.0123456789ABCDEF.tmp")]
    [TestCase("a.0123456789abcdef.tmp")]
    [TestCase(".x0123456789abcdef.tmp")]
    [TestCase("duplicity-full.20240101T000000Z.manifest")]
    public void OtherNamesAreNotTemporary(string name)
    {
        Assert.That(UploadTempName.IsTemporary(name), Is.False);
    }
}
