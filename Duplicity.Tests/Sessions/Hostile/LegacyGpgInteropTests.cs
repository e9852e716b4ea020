using Duplicity.Crypto;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.CraftedArchive;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>What real gpg writes without an MDC (<c>--rfc2440</c>) is refused unless legacy archives are allowed.</summary>
[Category("Interop")]
public class LegacyGpgInteropTests
{
    [Test]
    public async Task GpgRfc2440OutputIsRefusedByDefaultAndReadWhenAllowed()
    {
        var gpg = ExternalTool.Require("gpg");
        using var tmp = new TempFolder();
        var plainPath = tmp.Sub("plain.tar");
        await System.IO.File.WriteAllBytesAsync(plainPath, EncryptedVolumeIntegrityTests.PaddedHelloTar());
        var home = Directory.CreateDirectory(tmp.Sub("home"));
        if (!OperatingSystem.IsWindows()) home.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        (await ExternalTool.RunAsync(gpg, ["--homedir", home.FullName, "--batch", "--no-tty", "--pinentry-mode", "loopback",
            "--passphrase", Passphrase, "--rfc2440", "--cipher-algo", "CAST5", "-c", "-o", tmp.Sub("v.gpg"), plainPath])).EnsureSuccess();
        var volume = await System.IO.File.ReadAllBytesAsync(tmp.Sub("v.gpg"));
        using (var refused = new TempFolder())
            Assert.ThrowsAsync<UnprotectedDataException>(async () => await RestoreAsync(await BackendWithAsync(volume, encrypted: true), refused, Decryption()));
        using (var allowed = new TempFolder())
        {
            var result = await RestoreAsync(await BackendWithAsync(volume, encrypted: true), allowed, Decryption() with { AllowLegacyUnprotectedData = true });
            Assert.That(result.ObjectsRestored, Is.EqualTo(2));
        }
    }
}
