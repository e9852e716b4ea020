using Duplicity.Crypto;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Crypto;

/// <summary>The committed test keys (TestData/gpg) and a scratch copy of their GnuPG home for gpg runs.</summary>
internal sealed class GpgTestKeys : IDisposable
{
    public const string Passphrase = "test-passphrase";
    public const string RsaNoPass = "6315F1C60E2A08872E042C444DBE3E7A58C48583";
    public const string RsaPass = "E6B5EA0B6FE3425901087A6581643851C57167B3";
    public const string EdNoPass = "B04C53A57D687777042C016F1950A4E9C6797789";
    public const string EdPass = "B3F2F04D2486127D2326A0034B64A55D66A7616E";

    private readonly TempFolder _temp = new();

    public static string DataDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "gpg");

    public GpgTestKeys()
    {
        Home = _temp.Sub("h");
        CopyDirectory(Path.Combine(DataDir, "home"), Home);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A writable GnuPG home holding all four keys.</summary>
    public string Home { get; }

    public string Scratch(string name) => _temp.Sub(name);

    /// <summary>A keyring with the public and secret exports of the named keys (e.g. "rsa-nopass").</summary>
    public static async Task<OpenPgpKeyring> KeyringAsync(params string[] names)
    {
        var ring = new OpenPgpKeyring();
        foreach (var n in names)
        {
            await using var s = File.OpenRead(Path.Combine(DataDir, n + ".sec.asc"));
            await ring.AddExportAsync(s);
        }
        return ring;
    }

    /// <summary>Runs gpg in batch/loopback mode on the scratch home.</summary>
    public async Task<ExternalTool.Result> GpgAsync(params string[] args)
    {
        var gpg = ExternalTool.Require("gpg");
        var all = new List<string> { "--homedir", Home, "--batch", "--no-tty", "--pinentry-mode", "loopback" };
        all.AddRange(args);
        return await ExternalTool.RunAsync(gpg, all);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }

    public void Dispose()
    {
        try
        {
            System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("gpgconf", ["--homedir", Home, "--kill", "gpg-agent"])
            { RedirectStandardError = true, RedirectStandardOutput = true })?.WaitForExit(5000);
        }
        catch (Exception) { /* gpg missing: nothing started */ }
        _temp.Dispose();
    }
}
