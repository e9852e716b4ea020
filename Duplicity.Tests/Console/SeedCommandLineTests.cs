using Duplicity.Samples;
using Duplicity.Tests.Crypto;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// The command lines of the project's seed (issue 7), run as written through the console and through
/// the real duplicity side by side: same source, same clock (<c>--current-time</c>), each with its own
/// repository and cache. Exit codes, repository file names, listings and restored trees must agree.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class SeedCommandLineTests
{
    private const long Day = 86400;
    private static readonly string GpgKey = GpgTestKeys.RsaPass;
    private static readonly string SignKey = GpgTestKeys.EdNoPass;

    /// <summary>One implementation with its repository ("/backup/etc") and cache.</summary>
    private sealed class Side(string name, TempFolder tmp, GpgTestKeys keys, bool ours)
    {
        public string Name => name;
        public string Remote { get; } = tmp.Sub("backup-" + name);
        public string Url => "file://" + Remote;
        public string Cache { get; } = tmp.Sub("cache-" + name);
        public string Out(string what) => tmp.Sub(name + "-" + what);

        public List<string> RemoteFiles() =>
            Directory.Exists(Remote) ? Directory.GetFiles(Remote).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList() : [];

        /// <summary>Runs a command line; "URL" and "URL2" stand for this side's repositories.</summary>
        public async Task<(int Code, string Out, string Err)> RunAsync(long? now, params string[] args)
        {
            var words = args.Select(a => a == "URL" ? Url : a == "URL2" ? Url + "-copy" : a.StartsWith("OUT:", StringComparison.Ordinal) ? Out(a[4..]) : a).ToList();
            words.AddRange(["--archive-dir", Cache]);
            if (now != null) words.AddRange(["--current-time", now.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var env = new Dictionary<string, string?>
            {
                ["GNUPGHOME"] = keys.Home, ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["SIGN_PASSPHRASE"] = "",
            };
            if (!ours)
            {
                var r = await ExternalTool.RunAsync(ExternalTool.Require("duplicity"), words, env);
                return (r.ExitCode, r.StandardOutput, r.StandardError);
            }
            var saved = env.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
            foreach (var (k, v) in env) Environment.SetEnvironmentVariable(k, v);
            try
            {
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                int code = await ConsoleApp.RunAsync([.. words], stdout, stderr);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
            }
        }
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A small "/etc": ssh configs, git folders and files, log folders at two depths.</summary>
    private static void CreateEtc(string root)
    {
        Write(root, "hosts", "127.0.0.1 localhost\n");
        Write(root, "ssh/sshd_config", "PermitRootLogin no\n");
        Write(root, "ssh/ssh_config", "Host *\n");
        Write(root, ".gitignore", "*.swp\n");
        Write(root, "repo/.git/HEAD", "ref: refs/heads/main\n");
        Write(root, "repo/.git/config", "[core]\n");
        Write(root, "repo/README", string.Concat(Enumerable.Repeat("readme line\n", 5000)));
        Write(root, "log/messages", "boot\n");
        Write(root, "app/log/app.log", "started\n");
        Write(root, "app/app.conf", "port=80\n");
        File.CreateSymbolicLink(Path.Combine(root, "localtime"), "/usr/share/zoneinfo/UTC");
    }

    [Test]
    public async Task SeedCommandLinesWorkAsWrittenAndAgreeWithDuplicity()
    {
        ExternalTool.Require("duplicity");
        ExternalTool.Require("gpg");
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var etc = tmp.Sub("etc");
        CreateEtc(etc);
        var ours = new Side("ours", tmp, keys, ours: true);
        var theirs = new Side("theirs", tmp, keys, ours: false);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Runs a line on both sides; the exit codes must match (and equal `expected`).
        async Task<((int Code, string Out, string Err) Ours, (int Code, string Out, string Err) Theirs)> Both(int expected, long? at, params string[] args)
        {
            var t = await theirs.RunAsync(at, args);
            var o = await ours.RunAsync(at, args);
            var line = "duplicity " + string.Join(' ', args);
            Assert.That(t.Code, Is.EqualTo(expected), $"the real duplicity: {line}\n{t.Err}");
            Assert.That(o.Code, Is.EqualTo(expected), $"{line}\nours: {o.Err}\n{o.Out}");
            Assert.That(ours.RemoteFiles(), Is.EqualTo(theirs.RemoteFiles()), $"repository files after: {line}");
            return (o, t);
        }

        // Lines held to duplicity's result: exit 0 on both sides and the same repository files.
        async Task<bool> SameAsDuplicityAsync(string what, long? at, params string[] args)
        {
            var o = await ours.RunAsync(at, args);
            var t = await theirs.RunAsync(at, args);
            Assert.That(o.Code, Is.EqualTo(t.Code).And.EqualTo(0), $"duplicity {string.Join(' ', args)}\nours: {o.Err}\ntheirs: {t.Err}");
            Assert.That(ours.RemoteFiles(), Is.EqualTo(theirs.RemoteFiles()), what);
            return true;
        }

        // duplicity /etc file:///backup/etc, twice: a full (symmetric, PASSPHRASE), then an incremental.
        await Both(0, now - 20 * Day, etc, "URL");
        Write(etc, "hosts", "127.0.0.1 localhost\n10.0.0.1 gateway\n");
        await Both(0, now - 19 * Day, etc, "URL");
        Assert.That(ours.RemoteFiles().Count(f => f.StartsWith("duplicity-inc.", StringComparison.Ordinal) && f.Contains(".manifest")), Is.EqualTo(1));

        // duplicity full --progress --encrypt-key=$GPG_KEY /etc file:///backup/etc
        var full = await Both(0, now - 5 * Day, "full", "--progress", "--encrypt-key=" + GpgKey, etc, "URL");
        Assert.That(full.Ours.Out, Does.Contain("% ETA "), "--progress prints progress lines");
        var sshdAtFull = File.ReadAllText(Path.Combine(etc, "ssh/sshd_config"));

        // duplicity incremental --encrypt-key=$GPG_KEY /etc file:///backup/etc
        Write(etc, "ssh/sshd_config", "PermitRootLogin prohibit-password\nPasswordAuthentication no\n");
        await Both(0, now - Day, "incremental", "--encrypt-key=" + GpgKey, etc, "URL");

        // duplicity incremental --full-if-older-than 1W /etc file:///backup/etc (the full is 5 days old: stays incremental)
        Write(etc, "app/app.conf", "port=8080\n");
        await Both(0, now - Day + 100, "incremental", "--full-if-older-than", "1W", etc, "URL");
        Assert.That(ours.RemoteFiles().Count(f => f.StartsWith("duplicity-full.", StringComparison.Ordinal) && f.Contains(".manifest")), Is.EqualTo(2));

        // duplicity --exclude **/*.git* --exclude **/log /etc file:///backup/etc
        await Both(0, now - Day + 200, "--exclude", "**/*.git*", "--exclude", "**/log", etc, "URL");

        // duplicity --encrypt-key=... --sign-key=... /etc file:///backup/etc
        Write(etc, "hosts", "127.0.0.1 localhost\n");
        await Both(0, now - Day + 300, "--encrypt-key=" + GpgKey, "--sign-key=" + SignKey, "--exclude", "**/*.git*", "--exclude", "**/log", etc, "URL");

        // duplicity collection-status --encrypt-key=$GPG_KEY file:///backup/etc: the same report.
        var status = await Both(0, now, "collection-status", "--encrypt-key=" + GpgKey, "URL");
        // The cache folder is named after the URL's MD5, which differs between the two repositories.
        static string Normalise(string text, Side side) => System.Text.RegularExpressions.Regex.Replace(text, System.Text.RegularExpressions.Regex.Escape(side.Cache) + "/[0-9a-f]{32}", "<cache>");
        Assert.That(Normalise(status.Ours.Out, ours), Is.EqualTo(Normalise(status.Theirs.Out, theirs)));
        Assert.That(status.Ours.Out, Does.Contain("Number of contained backup sets: 5"));

        // duplicity list-current-files --encrypt-key=$GPG_KEY file:///backup/etc: the same listing, without the excluded folders.
        var list = await Both(0, now, "list-current-files", "--encrypt-key=" + GpgKey, "URL");
        Assert.That(list.Ours.Out, Is.EqualTo(list.Theirs.Out));
        Assert.That(list.Ours.Out, Does.Contain(" ssh/sshd_config\n").And.Not.Contain(" repo/.git").And.Not.Contain(" app/log"));

        // duplicity verify --encrypt-key=$GPG_KEY --verbosity=notice file:///backup/etc /etc
        var verify = await Both(0, now, "verify", "--encrypt-key=" + GpgKey, "--verbosity=notice", "URL", etc);
        string VerifyLine(string s) => s.Split('\n').Single(l => l.StartsWith("Verify complete", StringComparison.Ordinal));
        Assert.That(VerifyLine(verify.Ours.Out), Is.EqualTo(VerifyLine(verify.Theirs.Out)));

        // duplicity restore --progress --encrypt-key=$GPG_KEY file:///backup/etc /etc (into an absent folder):
        // the latest state, i.e. the source without the excluded folders.
        static bool Excluded(string line) => line.Split(' ')[0] is var p && (p.Contains(".git") || p == "log" || p.StartsWith("log/", StringComparison.Ordinal) || p.Contains("/log"));
        var expected = TreeSnapshot.Describe(etc).Where(l => !Excluded(l)).ToList();
        var restore = await Both(0, now, "restore", "--progress", "--encrypt-key=" + GpgKey, "URL", "OUT:etc");
        Assert.That(restore.Ours.Out, Does.Contain("100% ETA"));
        Assert.That(TreeSnapshot.Describe(ours.Out("etc")), Is.EqualTo(TreeSnapshot.Describe(theirs.Out("etc"))));
        Assert.That(TreeSnapshot.Describe(ours.Out("etc")), Is.EqualTo(expected), "no .git or log entries, everything else as in the source");

        // duplicity restore --time 3D --encrypt-key=$GPG_KEY --file-to-restore ssh/sshd_config file:///backup/etc /tmp/test1:
        // the full of 5 days ago, not the incremental of yesterday.
        await Both(0, now, "restore", "--time", "3D", "--encrypt-key=" + GpgKey, "--file-to-restore", "ssh/sshd_config", "URL", "OUT:test1");
        Assert.That(File.ReadAllText(ours.Out("test1")), Is.EqualTo(sshdAtFull).And.EqualTo(File.ReadAllText(theirs.Out("test1"))));

        // --dry-run (backup and restore): implemented on another branch.
        Write(etc, "hosts", "dry run change\n");
        if (await SameAsDuplicityAsync("--dry-run backup", now + 10, "--dry-run", "--encrypt-key=" + GpgKey, "--exclude", "**/*.git*", "--exclude", "**/log", etc, "URL"))
            await SameAsDuplicityAsync("--dry-run restore", now + 10, "restore", "--dry-run", "--encrypt-key=" + GpgKey, "URL", "OUT:dry");
        Assert.That(Directory.Exists(ours.Out("dry")), Is.False, "a dry-run restore writes nothing");

        // duplicity remove-older-than 90D --encrypt-key=$GPG_KEY --force file:///backup/etc: nothing that old.
        await Both(0, now, "remove-older-than", "90D", "--encrypt-key=" + GpgKey, "--force", "URL");
        // ... and with 10D the symmetric chain of 20 days ago goes.
        var removed = await Both(0, now, "remove-older-than", "10D", "--encrypt-key=" + GpgKey, "--force", "URL");
        Assert.That(ours.RemoteFiles().Count(f => f.Contains(".manifest")), Is.EqualTo(5), "the 5 sets of the second chain remain");

        // duplicity cleanup file:///backup/etc: leave a stray signature file behind first.
        File.WriteAllText(Path.Combine(ours.Remote, "duplicity-new-signatures.20000101T000000Z.to.20000102T000000Z.sigtar.gpg"), "x");
        File.WriteAllText(Path.Combine(theirs.Remote, "duplicity-new-signatures.20000101T000000Z.to.20000102T000000Z.sigtar.gpg"), "x");
        var cleanup = await Both(0, now, "cleanup", "URL");
        Assert.That(cleanup.Ours.Out, Does.Contain("Run duplicity again with the --force option to actually delete."));
        await Both(0, now, "cleanup", "--force", "URL");
        Assert.That(ours.RemoteFiles(), Has.None.Contains("20000101T000000Z"));

        // remove-all-inc-of-but-n-full and remove-all-but-n-full, with a second chain to act on.
        await Both(0, now + 20, "full", "--encrypt-key=" + GpgKey, etc, "URL");
        await Both(0, now + 30, "incremental", "--encrypt-key=" + GpgKey, etc, "URL");
        await Both(0, now + 40, "remove-all-inc-of-but-n-full", "1", "--force", "URL");
        Assert.That(ours.RemoteFiles().Count(f => f.StartsWith("duplicity-inc.", StringComparison.Ordinal) && f.Contains(".manifest")), Is.EqualTo(1));
        await Both(0, now + 40, "remove-all-but-n-full", "1", "--force", "URL");
        Assert.That(ours.RemoteFiles().Count(f => f.StartsWith("duplicity-full.", StringComparison.Ordinal) && f.Contains(".manifest")), Is.EqualTo(1));

        // replicate: implemented on another branch; when present, the copy restores like the original.
        if (await SameAsDuplicityAsync("replicate", now + 50, "replicate", "URL", "URL2"))
        {
            Assert.That(File.Exists(Path.Combine(ours.Remote + "-copy", ours.RemoteFiles().First(f => f.Contains(".manifest")))), Is.True);
        }

        // Whatever was written by the console, the real duplicity restores it as the console does.
        var cross = await theirs.RunAsync(now + 60, "restore", "--encrypt-key=" + GpgKey, ours.Url, "OUT:cross");
        Assert.That(cross.Code, Is.EqualTo(0), cross.Err);
        var back = await ours.RunAsync(now + 60, "restore", "--encrypt-key=" + GpgKey, "URL", "OUT:latest");
        Assert.That(back.Code, Is.EqualTo(0), back.Err);
        Assert.That(TreeSnapshot.Describe(theirs.Out("cross")), Is.EqualTo(TreeSnapshot.Describe(ours.Out("latest"))));
        Assert.That(TreeSnapshot.Describe(ours.Out("latest")), Is.EqualTo(TreeSnapshot.Describe(etc)));
    }
}
