using Duplicity.Samples;
using Duplicity.Tests.Crypto;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// duplicity's <c>--use-agent</c>, <c>--gpg-binary</c>, <c>--gpg-options</c> and <c>--encrypt-secret-keyring</c>
/// on the console: gpg does the OpenPGP work, and failures exit with duplicity's codes.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class GnuPGBinaryConsoleTests
{
    /// <summary>Runs the console in-process with <paramref name="env"/> set (gpg inherits it).</summary>
    private static async Task<(int Code, string Out, string Err)> OursAsync(IDictionary<string, string?> env, params string[] args)
    {
        var saved = env.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (k, v) in env) Environment.SetEnvironmentVariable(k, v);
        try
        {
            return await ConsoleRun.RunAsync(args);
        }
        finally
        {
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }
    }

    [Test]
    public async Task UseAgentRestoresWithAPassphrasePresetInTheAgentAndNoPASSPHRASE()
    {
        const string presetTool = "/usr/lib/gnupg/gpg-preset-passphrase";
        Requirement.That(File.Exists(presetTool), $"{presetTool} is missing (Debian package gpg-agent)");
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        // A home like a desktop's: no loopback pinentry; the agent accepts presets; a pinentry that
        // always fails, so nothing can be typed in and a missing preset fails at once.
        File.WriteAllText(Path.Combine(keys.Home, "gpg.conf"), "");
        File.WriteAllText(Path.Combine(keys.Home, "gpg-agent.conf"), "allow-preset-passphrase\npinentry-program /bin/false\n");
        await ExternalTool.RunAsync(ExternalTool.Require("gpgconf"), ["--homedir", keys.Home, "--kill", "gpg-agent"]);

        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        var url = "file://" + tmp.Sub("remote");
        var env = new Dictionary<string, string?> { ["GNUPGHOME"] = keys.Home, ["PASSPHRASE"] = null, ["SIGN_PASSPHRASE"] = null };
        var backup = await OursAsync(env, "full", "--use-agent", "--encrypt-key", GpgTestKeys.RsaPass, "--archive-dir", tmp.Sub("c1"), src, url);
        Assert.That(backup.Code, Is.EqualTo(0), backup.Err);

        // Without the preset the agent cannot get the passphrase: both fail alike, with no prompt.
        var ourFail = await OursAsync(env, "restore", "--use-agent", "--archive-dir", tmp.Sub("c2"), url, tmp.Sub("fail-ours"));
        var theirFail = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d1"), env, "restore", "--use-agent", url, tmp.Sub("fail-theirs"));
        Assert.That(theirFail.ExitCode, Is.Not.EqualTo(0));
        TestContext.Out.WriteLine($"--use-agent without a preset: duplicity {theirFail.ExitCode}, ours {ourFail.Code}");
        Assert.That(ourFail.Code, Is.EqualTo(theirFail.ExitCode), ourFail.Err);

        var grips = (await keys.GpgAsync("--with-keygrip", "--with-colons", "--list-secret-keys", GpgTestKeys.RsaPass)).EnsureSuccess()
            .StandardOutput.Split('\n').Where(l => l.StartsWith("grp:", StringComparison.Ordinal)).Select(l => l.Split(':')[9]).ToList();
        Assert.That(grips, Is.Not.Empty);
        (await ExternalTool.RunAsync(ExternalTool.Require("gpg-connect-agent"), ["--homedir", keys.Home, "/bye"])).EnsureSuccess();
        foreach (var grip in grips)
            (await ExternalTool.RunAsync(presetTool, ["--preset", "-P", GpgTestKeys.Passphrase, grip], new Dictionary<string, string?> { ["GNUPGHOME"] = keys.Home })).EnsureSuccess();

        var restore = await OursAsync(env, "restore", "--use-agent", "--archive-dir", tmp.Sub("c3"), url, tmp.Sub("ours"));
        Assert.That(restore.Code, Is.EqualTo(0), restore.Err);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours")), Is.EqualTo(TreeSnapshot.Describe(src)));
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d2"), env, "restore", "--use-agent", url, tmp.Sub("theirs"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("theirs")), Is.EqualTo(TreeSnapshot.Describe(src)));
    }

    [Test]
    public async Task FailuresThroughGpgExitWithDuplicitysCodes()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 100_000);
        var pk = "file://" + tmp.Sub("pk");
        var sym = "file://" + tmp.Sub("sym");
        var good = new Dictionary<string, string?> { ["GNUPGHOME"] = keys.Home, ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["SIGN_PASSPHRASE"] = null };
        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d0"), good, "full", "--encrypt-key", GpgTestKeys.RsaPass, src, pk)).EnsureSuccess();
        var symBackup = await OursAsync(good, "full", "--gpg-binary", ExternalTool.Require("gpg"), "--archive-dir", tmp.Sub("c0"), src, sym);
        Assert.That(symBackup.Code, Is.EqualTo(0), symBackup.Err);

        var empty = GnuPGEngineTests.PrivateDirectory(tmp.Sub("empty-home"));
        var wrong = new Dictionary<string, string?> { ["GNUPGHOME"] = keys.Home, ["PASSPHRASE"] = "hunter2-wrong", ["SIGN_PASSPHRASE"] = null };
        var cases = new (string Name, Dictionary<string, string?> Env, string Url, string[] Args)[]
        {
            ("wrong key passphrase", wrong, pk, ["--gpg-binary", "gpg"]),
            ("wrong symmetric passphrase", wrong, sym, ["--gpg-options", "--no-permission-warning"]),
            ("no secret key", new Dictionary<string, string?> { ["GNUPGHOME"] = empty, ["PASSPHRASE"] = "x" }, pk, ["--gpg-binary", "gpg"]),
            ("unknown signer expected", good, pk, ["--gpg-binary", "gpg", "--sign-key", GpgTestKeys.EdNoPass[^8..]]),
        };
        try
        {
            foreach (var (name, env, url, args) in cases)
            {
                var theirs = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d-" + name), env, ["restore", .. args, url, tmp.Sub("theirs-" + name)]);
                var ours = await OursAsync(env, ["restore", .. args, "--archive-dir", tmp.Sub("c-" + name), url, tmp.Sub("ours-" + name)]);
                TestContext.Out.WriteLine($"{name}: duplicity {theirs.ExitCode}, ours {ours.Code}");
                Assert.That(theirs.ExitCode, Is.Not.EqualTo(0), name);
                Assert.That(ours.Code, Is.EqualTo(theirs.ExitCode), $"{name}: {ours.Err}");
                Assert.That(ours.Out + ours.Err, Does.Not.Contain("hunter2"), name);
            }
        }
        finally
        {
            await GnuPGEngineTests.RunGpgconfKillAsync(empty);
        }
    }

    [Test]
    public async Task GpgOptionsAndTheSecretKeyringPassThroughAndDuplicityRestores()
    {
        using var keys = new GpgTestKeys();
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        TestTree.CreateEveryKind(src, bigFileBytes: 300_000);
        var url = "file://" + tmp.Sub("remote");
        var env = new Dictionary<string, string?> { ["GNUPGHOME"] = keys.Home, ["PASSPHRASE"] = GpgTestKeys.Passphrase, ["SIGN_PASSPHRASE"] = "" };
        // Two --gpg-options join with a space and split on white space, as in duplicity.
        var backup = await OursAsync(env, "full", "--gpg-options", "--compress-algo none", "--gpg-options", "--no-permission-warning",
            "--encrypt-key", GpgTestKeys.RsaNoPass, "--sign-key", GpgTestKeys.EdNoPass, "--archive-dir", tmp.Sub("c1"), src, url);
        Assert.That(backup.Code, Is.EqualTo(0), backup.Err);
        var volume = Directory.GetFiles(tmp.Sub("remote"), "*.vol1.difftar.gpg").Single();
        var packets = (await keys.GpgAsync("--list-packets", "--passphrase", "", volume)).EnsureSuccess();
        Assert.That(packets.StandardOutput, Does.Not.Contain(":compressed packet:"));
        Assert.That(packets.StandardOutput, Does.Contain(":onepass_sig packet: keyid " + GpgTestKeys.EdNoPass[^16..]));

        (await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d"), env, "restore", "--sign-key", GpgTestKeys.EdNoPass[^8..], url, tmp.Sub("theirs"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("theirs")), Is.EqualTo(TreeSnapshot.Describe(src)));

        // --encrypt-secret-keyring reaches gpg as --secret-keyring (gpg 2.2 notes it and ignores it).
        var restore = await OursAsync(env, "restore", "--encrypt-secret-keyring", tmp.Sub("secring.gpg"), "--sign-key", GpgTestKeys.EdNoPass[^8..],
            "--archive-dir", tmp.Sub("c2"), url, tmp.Sub("ours"));
        Assert.That(restore.Code, Is.EqualTo(0), restore.Err);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours")), Is.EqualTo(TreeSnapshot.Describe(src)));
        var theirs = await DuplicityCli.RunWithEnvironmentAsync(tmp.Sub("d2"), env, "restore", "--encrypt-secret-keyring", tmp.Sub("secring.gpg"), url, tmp.Sub("theirs2"));
        Assert.That(theirs.ExitCode, Is.EqualTo(0), theirs.StandardError);
    }
}
