using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
public class BackendUrlTests
{
    [Test]
    public void ParsesEveryPartOfANetworkUrl()
    {
        var url = BackendUrl.Parse("SFTP://us%65r:pa%40ss%2Fword@Host.Example:2222/some/d%C3%AFr?x=1&y=a+b#frag");

        Assert.Multiple(() =>
        {
            Assert.That(url.Scheme, Is.EqualTo("sftp"));
            Assert.That(url.UserName, Is.EqualTo("user"));
            Assert.That(url.Password, Is.EqualTo("pa@ss/word"));
            Assert.That(url.Host, Is.EqualTo("host.example"));
            Assert.That(url.Port, Is.EqualTo(2222));
            Assert.That(url.Path, Is.EqualTo("/some/dïr"));
            Assert.That(url.Query, Is.EqualTo("x=1&y=a+b"));
            Assert.That(url.GetQueryValue("y"), Is.EqualTo("a b"));
            Assert.That(url.GetQueryValue("missing"), Is.Null);
            Assert.That(url.ToString(), Is.EqualTo("SFTP://us%65r:***@Host.Example:2222/some/d%C3%AFr?x=1&y=a+b#frag"));
        });
    }

    [TestCase("file:///abs/dir", "/abs/dir")]
    [TestCase("file://relative/path", "relative/path")]
    [TestCase("file://Relative", "Relative")]
    [TestCase("file:///with%20space/d", "/with space/d")]
    [TestCase("FILE:///x", "/x")]
    public void FileUrlsGiveDuplicitysPath(string text, string expected)
    {
        var url = BackendUrl.Parse(text);

        Assert.That(url.Scheme, Is.EqualTo("file"));
        Assert.That(url.HostAndPath, Is.EqualTo(expected));
        Assert.That(url.Password, Is.Null);
        Assert.That(url.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void ThePasswordRunsToTheLastAtSign()
    {
        var url = BackendUrl.Parse("ftp://me:p@ss:w@rd@ftp.example.com/backups");

        Assert.That(url.UserName, Is.EqualTo("me"));
        Assert.That(url.Password, Is.EqualTo("p@ss:w@rd"));
        Assert.That(url.Host, Is.EqualTo("ftp.example.com"));
        Assert.That(url.ToString(), Is.EqualTo("ftp://me:***@ftp.example.com/backups"));
    }

    [Test]
    public void AUrlWithoutPasswordIsShownAsGiven()
    {
        var url = BackendUrl.Parse("scp://user@host/dir");

        Assert.That(url.UserName, Is.EqualTo("user"));
        Assert.That(url.Password, Is.Null);
        Assert.That(url.Port, Is.Null);
        Assert.That(url.ToString(), Is.EqualTo("scp://user@host/dir"));
    }

    [Test]
    public void ParsesBracketedIpv6Hosts()
    {
        var url = BackendUrl.Parse("sftp://[::1]:22/x");

        Assert.That(url.Host, Is.EqualTo("::1"));
        Assert.That(url.Port, Is.EqualTo(22));
        Assert.That(url.Path, Is.EqualTo("/x"));
    }

    [Test]
    public void SchemesWithPlusAreKept()
    {
        Assert.That(BackendUrl.Parse("boto3+s3://bucket/prefix").Scheme, Is.EqualTo("boto3+s3"));
        Assert.That(BackendUrl.Parse("boto3+s3://bucket/prefix").HostAndPath, Is.EqualTo("bucket/prefix"));
    }

    [TestCase("/just/a/local/path")]
    [TestCase("relative/path")]
    [TestCase("sftp:host/dir")]
    [TestCase("1abc://host/x")]
    [TestCase("sftp://host:99999/x")]
    [TestCase("sftp://u:secret@host:notaport/x")]
    [TestCase("sftp://[::1/x")]
    [TestCase("")]
    public void MalformedUrlsThrowBadUrl(string text)
    {
        var error = Assert.Throws<DuplicityException>(() => BackendUrl.Parse(text));

        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
        Assert.That(error.Message, Does.Not.Contain("secret"));
    }

    [Test]
    public void RedactHidesPasswordsOfEveryUrlInAText()
    {
        var text = "upload to sftp://alice:s3cr%21t@host/x failed; retry ftp://bob:pw@other:21/y or file:///tmp/z";

        var redacted = BackendUrl.Redact(text);

        Assert.That(redacted, Is.EqualTo(
            "upload to sftp://alice:***@host/x failed; retry ftp://bob:***@other:21/y or file:///tmp/z"));
    }

    [TestCase("no url here at all")]
    [TestCase("sftp://user@host/dir")]
    [TestCase("time 10:20 at host")]
    public void RedactLeavesTextWithoutPasswordsAlone(string text)
    {
        Assert.That(BackendUrl.Redact(text), Is.EqualTo(text));
    }

    [Test]
    public void RedactHandlesAnEmptyUserName()
    {
        Assert.That(BackendUrl.Redact("webdavs://:token@dav.example/x"), Is.EqualTo("webdavs://:***@dav.example/x"));
        Assert.That(BackendUrl.Parse("webdavs://:token@dav.example/x").ToString(), Is.EqualTo("webdavs://:***@dav.example/x"));
    }
}
