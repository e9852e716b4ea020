using Duplicity.Backends;
using Duplicity.Backends.Par2;
using Duplicity.Diagnostics;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Par2;

/// <summary>The par2 wrapper with the real par2: names as duplicity's, repair of damaged files, listing and deleting.</summary>
[Category("Interop")]
[TestFixture]
public class Par2BackendTests
{
    private const string Volume = "duplicity-full.20260101T000000Z.vol1.difftar.gz";

    [OneTimeSetUp]
    public void RequirePar2() => ExternalTool.Require("par2");

    [Test]
    public async Task APutStoresTheFileWithRecoveryFilesNamedAsDuplicityNamesThem()
    {
        using var tmp = new TempFolder();
        var data = Bytes(1_000_000, 1);
        await using (var backend = new Par2Backend(new FileBackend(tmp.Sub("store"))))
        {
            await backend.PutAsync(Volume, new MemoryStream(data));
            Assert.That(await backend.ListAsync().Select(f => f.Name).ToListAsync(), Is.EqualTo(new[] { Volume }), "the listing hides .par2 files");
        }
        var names = Directory.GetFiles(tmp.Sub("store")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(names, Has.Count.EqualTo(3));
        Assert.That(names[0], Is.EqualTo(Volume));
        Assert.That(names[1], Is.EqualTo(Volume + ".par2"));
        Assert.That(names[2], Does.Match(@"^" + System.Text.RegularExpressions.Regex.Escape(Volume) + @"\.vol000\+\d+\.par2$"));
        Assert.That(File.ReadAllBytes(tmp.Sub("store/" + Volume)), Is.EqualTo(data));
    }

    [Test]
    public async Task VolumesAndRedundancyReachPar2()
    {
        using var tmp = new TempFolder();
        var options = new Par2BackendOptions { Volumes = 3, Redundancy = 30 };
        await using (var backend = new Par2Backend(new FileBackend(tmp.Sub("store")), options))
            await backend.PutAsync(Volume, new MemoryStream(Bytes(500_000, 2)));
        var volumes = Directory.GetFiles(tmp.Sub("store"), Volume + ".vol*.par2");
        Assert.That(volumes, Has.Length.EqualTo(3));
        var recovery = volumes.Sum(v => new FileInfo(v).Length);
        Assert.That(recovery, Is.GreaterThan(500_000 * 30 / 100), "about 30 % recovery data");
    }

    [Test]
    public async Task ADamagedFileIsRepairedOnGet()
    {
        using var tmp = new TempFolder();
        var data = Bytes(2_000_000, 3);
        var log = new RecordingLoggerFactory();
        await using var backend = new Par2Backend(new FileBackend(tmp.Sub("store")), loggerFactory: log);
        await backend.PutAsync(Volume, new MemoryStream(data));
        Damage(tmp.Sub("store/" + Volume), at: 777_777, count: 5000);
        Assert.That(File.ReadAllBytes(tmp.Sub("store/" + Volume)), Is.Not.EqualTo(data), "the stored file is damaged");

        await using (var stream = await backend.GetAsync(Volume))
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(data));
        }
        await using (var tail = await backend.GetFromAsync(Volume, 1_999_000))
        {
            var copy = new MemoryStream();
            await tail.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(data[1_999_000..]));
        }
        Assert.That(log.EventIds, Does.Contain(DuplicityEventIds.Par2Repairing).And.Contain(DuplicityEventIds.Par2Repaired));
    }

    [Test]
    public async Task DamageBeyondTheRedundancyReturnsTheFileAsStoredAndSaysSo()
    {
        using var tmp = new TempFolder();
        var data = Bytes(200_000, 4);
        var log = new RecordingLoggerFactory();
        await using var backend = new Par2Backend(new FileBackend(tmp.Sub("store")), new Par2BackendOptions { Redundancy = 5 }, log);
        await backend.PutAsync(Volume, new MemoryStream(data));
        Damage(tmp.Sub("store/" + Volume), at: 0, count: 100_000);
        var damaged = File.ReadAllBytes(tmp.Sub("store/" + Volume));

        await using var stream = await backend.GetAsync(Volume);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(damaged));
        Assert.That(log.EventIds, Does.Contain(DuplicityEventIds.Par2RepairFailed));
    }

    [Test]
    public async Task AFileWithoutRecoveryFilesIsReturnedAsItIs()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("store"));
        File.WriteAllBytes(tmp.Sub("store/plain"), [1, 2, 3]);
        await using var backend = new Par2Backend(new FileBackend(tmp.Sub("store")));
        await using var stream = await backend.GetAsync("plain");
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.ThrowsAsync<BackendException>(() => backend.GetAsync("missing"));
    }

    [Test]
    public async Task DeleteRemovesTheRecoveryFilesTooAndOnlyThose()
    {
        using var tmp = new TempFolder();
        await using var backend = new Par2Backend(new FileBackend(tmp.Sub("store")), new Par2BackendOptions { Volumes = 2 });
        await backend.PutAsync("a.gz", new MemoryStream(Bytes(50_000, 5)));
        await backend.PutAsync("a.gz.other", new MemoryStream(Bytes(50_000, 6)));
        Assert.That(Directory.GetFiles(tmp.Sub("store")), Has.Length.EqualTo(8));

        await backend.DeleteAsync(["a.gz"]);
        var left = Directory.GetFiles(tmp.Sub("store")).Select(Path.GetFileName).ToList();
        Assert.That(left, Has.Count.EqualTo(4));
        Assert.That(left, Has.All.StartWith("a.gz.other"));
    }

    [Test]
    public void TheRegistryOpensPar2OverAnyScheme()
    {
        using var tmp = new TempFolder();
        var registry = new BackendRegistry().AddFileSystem().AddPar2();
        Assert.That(registry.Prefixes, Is.EqualTo(new[] { "par2" }));
        var backend = registry.Open("par2+file://" + tmp.Sub("x"));
        Assert.That(backend, Is.TypeOf<Par2Backend>());
        Assert.That(backend.DisplayName, Does.StartWith("par2+"));
        var e = Assert.Throws<DuplicityException>(() => registry.Open("par2+nosuch://host/x"));
        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.UserError));
        Assert.That(e.Message, Does.Contain("nosuch://host/x"));
        Assert.Throws<InvalidOperationException>(() => registry.AddPar2());
    }

    private static byte[] Bytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    internal static void Damage(string path, long at, int count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = at;
        var buffer = new byte[count];
        file.ReadExactly(buffer);
        for (var i = 0; i < buffer.Length; i++)
            buffer[i] ^= 0x5A;
        file.Position = at;
        file.Write(buffer);
    }
}
