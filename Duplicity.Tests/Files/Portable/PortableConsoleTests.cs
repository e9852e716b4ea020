using Duplicity.Files;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Files.Portable;

/// <summary>The built console with DUPLICITY_PORTABLE_FILES=1 in its environment: the switch users have.</summary>
[Category("Interop")]
[NonParallelizable]
public class PortableConsoleTests
{
    [Test]
    public async Task TheEnvironmentVariableMakesTheConsoleUseThePortableLayer()
    {
        ExternalTool.Require("duplicity");
        var (dotnet, prefix) = SignalledProcess.Console();
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        PortableTree.Create(source);
        var url = "file://" + tmp.Sub("remote");
        var env = new Dictionary<string, string?> { [FileLayer.PortableVariable] = "1", ["PASSPHRASE"] = null };
        (await ExternalTool.RunAsync(dotnet, [.. prefix, "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"), source, url], env,
            timeout: TimeSpan.FromMinutes(3))).EnsureSuccess();
        // Only the portable layer writes owners as unknown; as any user the native one names them.
        var owners = PortableTree.StoredOwners(tmp.Sub("remote"));
        Assert.That(owners, Is.Not.Empty);
        Assert.That(owners.Where(o => o.UserName.Length != 0), Is.Empty);

        (await ExternalTool.RunAsync(dotnet, [.. prefix, "restore", "--no-encryption", "--archive-dir", tmp.Sub("cache"), url, tmp.Sub("ours")], env,
            timeout: TimeSpan.FromMinutes(3))).EnsureSuccess();
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", url, tmp.Sub("theirs"))).EnsureSuccess();
        var expected = TreeSnapshot.Describe(source, includeOwner: false);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("ours"), includeOwner: false), Is.EqualTo(expected));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("theirs"), includeOwner: false), Is.EqualTo(expected));
    }
}
