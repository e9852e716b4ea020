using Duplicity.Backends;
using Duplicity.Backends.Ssh;

namespace Duplicity.Tests.Backends.Ssh;

/// <summary>URL, --ssh-options and known_hosts parsing (no server needed).</summary>
[Category("Unit")]
[TestFixture]
public class SshConfigurationTests
{
    [TestCase("", ".")]
    [TestCase("/", ".")]
    [TestCase("/backups", "backups")]
    [TestCase("/backups/host1/", "backups/host1")]
    [TestCase("//srv/backups", "/srv/backups")]
    [TestCase("//", "/")]
    public void RemoteFolderFollowsDuplicity(string urlPath, string expected)
    {
        Assert.That(SshTarget.RemoteFolderOf(urlPath), Is.EqualTo(expected));
    }

    [Test]
    public void UrlUserPasswordHostAndPortWin()
    {
        var options = new SshBackendOptions();
        options.SshOptions.Add("-oPort=2200");
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["HOME"] = "/h", ["FTP_PASSWORD"] = "env-pw" } };

        var target = SshTarget.Resolve(BackendUrl.Parse("sftp://bob:url%40pw@Example.org:2222/dir"), open, options);

        Assert.That((target.User, target.Password, target.Host, target.Port, target.RemoteFolder),
            Is.EqualTo(("bob", "url@pw", "example.org", 2222, "dir")));
        Assert.That(target.KnownHostsFile, Is.EqualTo("/h/.ssh/known_hosts"));
        Assert.That(target.DefaultIdentityFiles, Is.EqualTo(new[] { "/h/.ssh/id_ed25519", "/h/.ssh/id_rsa", "/h/.ssh/id_ecdsa" }));
    }

    [Test]
    public void FtpPasswordAndSshOptionsFillTheGaps()
    {
        var options = new SshBackendOptions();
        options.SshOptions.Add("-oIdentityFile=~/k1 -o Port=2200 -i '/my keys/k2' -oUserKnownHostsFile=\"/etc/kh file\"");
        var open = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["HOME"] = "/h", ["FTP_PASSWORD"] = "env-pw" } };

        var target = SshTarget.Resolve(BackendUrl.Parse("scp://bob@host/dir"), open, options);

        Assert.That((target.Password, target.Port), Is.EqualTo(("env-pw", 2200)));
        Assert.That(target.ExplicitIdentityFiles, Is.EqualTo(new[] { "/h/k1", "/my keys/k2" }));
        Assert.That(target.KnownHostsFile, Is.EqualTo("/etc/kh file"));
    }

    [Test]
    public void ABadPortInSshOptionsIsAUserError()
    {
        var options = new SshBackendOptions();
        options.SshOptions.Add("-oPort=notaport");
        var error = Assert.Throws<DuplicityException>(() => SftpBackend.Open(BackendUrl.Parse("sftp://h/d"), new BackendOpenOptions(), options));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.UserError));
    }

    [Test]
    public void AUrlWithoutHostIsABadUrl()
    {
        var error = Assert.Throws<DuplicityException>(() => SftpBackend.Open(BackendUrl.Parse("sftp:///dir")));
        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
    }

    private static readonly byte[] KeyA = [0, 0, 0, 11, .. "ssh-ed25519"u8, 1, 2, 3];
    private static readonly byte[] KeyB = [0, 0, 0, 11, .. "ssh-ed25519"u8, 4, 5, 6];

    [Test]
    public void KnownHostsMatchesPlainWildcardAndNegatedPatterns()
    {
        var a = Convert.ToBase64String(KeyA);
        var hosts = KnownHosts.Parse([
            "# comment",
            $"server.example.org,10.0.0.1 ssh-ed25519 {a}",
            $"*.lan,!evil.lan ssh-ed25519 {a}",
            $"[10.0.0.2]:2222 ssh-ed25519 {a}",
        ]);

        Assert.That(hosts.Check("server.example.org", 22, KeyA), Is.EqualTo(KnownHosts.Verdict.Trusted));
        Assert.That(hosts.Check("10.0.0.1", 22, KeyA), Is.EqualTo(KnownHosts.Verdict.Trusted));
        Assert.That(hosts.Check("nas.lan", 22, KeyA), Is.EqualTo(KnownHosts.Verdict.Trusted));
        Assert.That(hosts.Check("evil.lan", 22, KeyA), Is.EqualTo(KnownHosts.Verdict.UnknownHost));
        Assert.That(hosts.Check("10.0.0.2", 2222, KeyA), Is.EqualTo(KnownHosts.Verdict.Trusted));
        Assert.That(hosts.Check("10.0.0.2", 22, KeyA), Is.EqualTo(KnownHosts.Verdict.UnknownHost));
        Assert.That(hosts.Check("server.example.org", 22, KeyB), Is.EqualTo(KnownHosts.Verdict.KeyChanged));
        Assert.That(hosts.KeyTypesFor("nas.lan", 22), Is.EquivalentTo(new[] { "ssh-ed25519" }));
    }

    [Test]
    public void KnownHostsHonoursHashedNamesAndRevokedKeys()
    {
        var salt = new byte[20];
        new Random(1).NextBytes(salt);
#pragma warning disable CA5350 // OpenSSH's hashed known_hosts format is HMAC-SHA1; the test writes such a line (no secret).
        var hash = System.Security.Cryptography.HMACSHA1.HashData(salt, "[127.0.0.1]:2200"u8);
#pragma warning restore CA5350
        var hosts = KnownHosts.Parse([
            $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} ssh-ed25519 {Convert.ToBase64String(KeyA)}",
            $"@revoked * ssh-ed25519 {Convert.ToBase64String(KeyB)}",
            "garbage line",
        ]);

        Assert.That(hosts.Check("127.0.0.1", 2200, KeyA), Is.EqualTo(KnownHosts.Verdict.Trusted));
        Assert.That(hosts.Check("127.0.0.1", 2201, KeyA), Is.EqualTo(KnownHosts.Verdict.UnknownHost));
        Assert.That(hosts.Check("127.0.0.1", 2200, KeyB), Is.EqualTo(KnownHosts.Verdict.Revoked));
    }
}
