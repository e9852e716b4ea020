using Duplicity.Backends;
using Duplicity.Backends.Ftp;

namespace Duplicity.Tests.Backends.Ftp;

/// <summary>The reply parser, the listing parsers, the passive-reply parsers and the reply-code mapping.</summary>
[Category("Unit")]
[TestFixture]
public class FtpParserTests
{
    [Test]
    public void ASingleLineReplyIsComplete()
    {
        var reply = new FtpReplyParser().Add("220 (vsFTPd 3.0.3)");
        Assert.That(reply, Is.Not.Null);
        Assert.That(reply!.Code, Is.EqualTo(220));
        Assert.That(reply.Text, Is.EqualTo("(vsFTPd 3.0.3)"));
    }

    [Test]
    public void ACodeAloneIsAReply()
    {
        Assert.That(new FtpReplyParser().Add("200")!.Code, Is.EqualTo(200));
    }

    [Test]
    public void AMultiLineReplyRunsToTheLineWithTheSameCodeAndASpace()
    {
        var parser = new FtpReplyParser();
        Assert.That(parser.Add("211-Features:"), Is.Null);
        Assert.That(parser.Add(" MLSD"), Is.Null);
        // Inner lines that look like replies (another code, or the same code with a hyphen) are text.
        Assert.That(parser.Add("123 not the end"), Is.Null);
        Assert.That(parser.Add("211-still not"), Is.Null);
        Assert.That(parser.InProgress, Is.True);
        var reply = parser.Add("211 End");
        Assert.That(reply!.Code, Is.EqualTo(211));
        Assert.That(reply.Lines, Is.EqualTo(new[] { "Features:", " MLSD", "123 not the end", "211-still not", "End" }));
        Assert.That(parser.InProgress, Is.False);
        Assert.That(parser.Add("200 next")!.Code, Is.EqualTo(200), "the parser starts afresh");
    }

    [TestCase("hello")]
    [TestCase("22 short")]
    [TestCase("220x")]
    [TestCase("620 out of range")]
    [TestCase("")]
    public void AMalformedFirstLineIsAFormatError(string line)
    {
        Assert.Throws<FormatException>(() => new FtpReplyParser().Add(line));
    }

    [TestCase("type=file;size=1234;modify=20261202101010; duplicity-full.vol1.difftar.gz", "duplicity-full.vol1.difftar.gz", "file", 1234L)]
    [TestCase("Type=File;Size=0; name with spaces; and semicolon", "name with spaces; and semicolon", "file", 0L)]
    [TestCase("type=dir;modify=20261202101010; sub", "sub", "dir", null)]
    [TestCase("type=cdir; .", ".", "cdir", null)]
    [TestCase("size=12;type=file;unix.mode=0644;  leading space", " leading space", "file", 12L)]
    [TestCase("type=file;size=notanumber; x", "x", "file", null)]
    public void MlsdFactsAndNamesAreRead(string line, string name, string type, long? size)
    {
        var entry = FtpListingParser.ParseMlsd(line);
        Assert.That(entry, Is.EqualTo(new FtpListingParser.MlsdEntry(name, type, size)));
    }

    [TestCase("type=file;size=1;")]
    [TestCase("nospace")]
    public void AnMlsdLineWithoutANameIsSkipped(string line)
    {
        Assert.That(FtpListingParser.ParseMlsd(line), Is.Null);
    }

    [TestCase("file.gpg", "file.gpg")]
    [TestCase("./file.gpg", "file.gpg")]
    [TestCase("some/dir/file.gpg", "file.gpg")]
    [TestCase("name with spaces", "name with spaces")]
    [TestCase(".", null)]
    [TestCase("..", null)]
    [TestCase("dir/", null)]
    public void NlstNamesLoseTheirFolder(string line, string? name)
    {
        Assert.That(FtpListingParser.ParseNlst(line), Is.EqualTo(name));
    }

    [Test]
    public void ListingLinesSplitOnCrLfAndLf()
    {
        var bytes = "a\r\nb c\n\r\nünï\r\n"u8.ToArray();
        Assert.That(FtpListingParser.Lines(bytes), Is.EqualTo(new[] { "a", "b c", "ünï" }));
    }

    [TestCase("Entering Extended Passive Mode (|||47105|)", 47105)]
    [TestCase("EPSV ok (!!!2121!)", 2121)]
    [TestCase("Entering Extended Passive Mode (|||0|)", null)]
    [TestCase("Entering Extended Passive Mode (|||70000|)", null)]
    [TestCase("no parentheses", null)]
    public void EpsvPortsAreRead(string text, int? port)
    {
        Assert.That(FtpListingParser.ParseEpsvPort(text), Is.EqualTo(port));
    }

    [TestCase("Entering Passive Mode (127,0,0,1,183,101).", 183 * 256 + 101)]
    [TestCase("Entering Passive Mode 10,1,2,3,4,5", 4 * 256 + 5)]
    [TestCase("=192,168,0,1,0,21", 21)]
    [TestCase("Entering Passive Mode (127,0,0,1,300,1).", null)]
    [TestCase("Entering Passive Mode (127,0,0,1,183).", null)]
    public void PasvPortsAreRead(string text, int? port)
    {
        Assert.That(FtpListingParser.ParsePasvPort(text), Is.EqualTo(port));
    }

    [TestCase(530, true, BackendErrorKind.PermissionDenied)]
    [TestCase(550, true, BackendErrorKind.NotFound)]
    [TestCase(550, false, BackendErrorKind.PermissionDenied)]
    [TestCase(553, true, BackendErrorKind.PermissionDenied)]
    [TestCase(452, true, BackendErrorKind.NoSpace)]
    [TestCase(552, true, BackendErrorKind.NoSpace)]
    [TestCase(421, true, BackendErrorKind.Transient)]
    [TestCase(425, true, BackendErrorKind.Transient)]
    [TestCase(426, true, BackendErrorKind.Transient)]
    [TestCase(450, true, BackendErrorKind.Transient)]
    [TestCase(451, true, BackendErrorKind.Transient)]
    [TestCase(500, true, BackendErrorKind.Permanent)]
    [TestCase(502, true, BackendErrorKind.Permanent)]
    public void ReplyCodesMapToErrorKinds(int code, bool missingMeansNotFound, BackendErrorKind kind)
    {
        Assert.That(FtpErrors.KindOf(code, missingMeansNotFound), Is.EqualTo(kind));
        var error = FtpErrors.FromReply(new FtpReply(code, ["text"]), "RETR", "f", "ftp://u@h/x", missingMeansNotFound);
        Assert.That(error.Kind, Is.EqualTo(kind));
        Assert.That(error.Code, Is.EqualTo(BackendException.CodeFor(kind)));
        Assert.That(error.Message, Does.Contain($"{code} text").And.Contain("RETR of 'f'"));
    }
}

/// <summary>How FTP URLs are read: schemes, ports, folders, passwords (duplicity's lftp backend's rules).</summary>
[Category("Unit")]
[TestFixture]
public class FtpLocationTests
{
    private static FtpLocation Read(string url, string? envPassword = null) => FtpLocation.From(BackendUrl.Parse(url),
        new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["FTP_PASSWORD"] = envPassword } });

    [TestCase("ftp://h/x", FtpSecurity.None, 21)]
    [TestCase("ftps://h/x", FtpSecurity.Implicit, 990)]
    [TestCase("ftpes://h/x", FtpSecurity.Explicit, 21)]
    [TestCase("lftp+ftps://h:2990/x", FtpSecurity.Implicit, 2990)]
    [TestCase("lftp+ftpes://h/x", FtpSecurity.Explicit, 21)]
    public void SchemesChooseTlsAndDefaultPort(string url, FtpSecurity security, int port)
    {
        var location = Read(url);
        Assert.That(location.Security, Is.EqualTo(security));
        Assert.That(location.Port, Is.EqualTo(port));
    }

    [TestCase("ftp://u@h", false, new string[0])]
    [TestCase("ftp://u@h/", false, new string[0])]
    [TestCase("ftp://u@h/a/b/", false, new[] { "a", "b" })]
    [TestCase("ftp://u@h//srv/backup", true, new[] { "srv", "backup" })]
    [TestCase("ftp://u@h/a%20b/c", false, new[] { "a b", "c" })]
    public void TheFolderIsBelowTheLoginFolderUnlessItStartsWithTwoSlashes(string url, bool absolute, string[] folder)
    {
        var location = Read(url);
        Assert.That(location.AbsoluteFolder, Is.EqualTo(absolute));
        Assert.That(location.Folder, Is.EqualTo(folder));
    }

    [Test]
    public void TheUrlPasswordWinsOverFtpPassword()
    {
        Assert.That(Read("ftp://u:p%40ss@h/x", "env").Password, Is.EqualTo("p@ss"));
        Assert.That(Read("ftp://u@h/x", "env").Password, Is.EqualTo("env"));
        Assert.That(Read("ftp://u@h/x").Password, Is.Null);
    }

    [Test]
    public void NoUserLogsInAnonymously()
    {
        var location = Read("ftp://h/pub");
        Assert.That(location.UserName, Is.EqualTo("anonymous"));
        Assert.That(location.Password, Is.Not.Null);
    }

    [Test]
    public void TheDisplayNameHidesThePassword()
    {
        Assert.That(Read("ftp://u:secret-pw@h/x").DisplayName, Does.Not.Contain("secret-pw").And.Contain("***"));
    }

    [TestCase("ftp://u@h/a/../b")]
    [TestCase("ftp://u@h/a/%0d%0aDELE x")]
    public void DotDotAndLineBreaksInTheFolderAreRefused(string url)
    {
        Assert.Throws<DuplicityException>(() => Read(url));
    }

    [Test]
    public void AllSchemesAreRegistered()
    {
        var registry = new BackendRegistry().AddFtp();
        foreach (var scheme in new[] { "ftp", "ftps", "ftpes", "lftp+ftp", "lftp+ftps", "lftp+ftpes" })
            Assert.That(registry.IsRegistered(scheme), Is.True, scheme);
    }
}
