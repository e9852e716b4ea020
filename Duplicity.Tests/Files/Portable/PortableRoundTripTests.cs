using Duplicity.Backends;
using Duplicity.Files;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Duplicity.Tests.Files.Portable;

/// <summary>
/// Backups and restores with the portable file layer forced (<see cref="FileLayer.Use"/>): its archives restore
/// with the real duplicity 0.8.22, and it continues a chain the native layer started.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class PortableRoundTripTests
{
    private const long T0 = 1_700_000_000;

    private static RepositoryOptions Repo(TempFolder tmp, long time = T0) =>
        new() { ArchiveDirectory = tmp.Sub("cache"), Name = "portable", TimeProvider = new FixedClock(time) };

    private static async Task<BackupResult> BackupAsync(TempFolder tmp, string source, long time = T0, BackupMode mode = BackupMode.Auto)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open("file://" + tmp.Sub("remote"));
        return await Support.Sessions.BackupAsync(backend, Repo(tmp, time), new BackupOptions { Source = source, Mode = mode, VolumeSize = 512 * 1024 });
    }

    private static async Task<RestoreResult> RestoreAsync(TempFolder tmp, string target, ILoggerFactory? logs = null)
    {
        await using var backend = new BackendRegistry().AddFileSystem().Open("file://" + tmp.Sub("remote"));
        return await Support.Sessions.RestoreAsync(backend, Repo(tmp, T0 + 86_400), new RestoreOptions { Target = target }, logs);
    }

    [Test]
    public async Task PortableBackupRestoresWithThePortableLayerIdentically()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        PortableTree.Create(source);
        using var portable = FileLayer.Use(FileLayer.Portable);
        var backup = await BackupAsync(tmp, source);
        Assert.That(backup.Statistics.Errors, Is.Zero);
        Assert.That(backup.Statistics.SourceFiles, Is.EqualTo(13), "root, 3 folders, 6 files, 3 links");

        var restored = tmp.Sub("restored");
        var result = await RestoreAsync(tmp, restored);
        Assert.That(result.ObjectsRestored, Is.EqualTo(13));
        Assert.That(result.DeviceFilesSkipped, Is.Zero);
        // Contents, types, modes, mtimes (folders included) and link targets; owners are not the portable layer's.
        Assert.That(TreeSnapshot.Describe(restored, includeOwner: false), Is.EqualTo(TreeSnapshot.Describe(source, includeOwner: false)));
    }

    [Test]
    public async Task DuplicityRestoresWhatThePortableLayerWrote()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        PortableTree.Create(source);
        var url = "file://" + tmp.Sub("remote");
        using (FileLayer.Use(FileLayer.Portable))
            await BackupAsync(tmp, source);
        // Owners are written as unknown: uid/gid 0 and no names (a restore as root then gives root the files).
        var owners = PortableTree.StoredOwners(tmp.Sub("remote"));
        Assert.That(owners, Is.Not.Empty);
        Assert.That(owners.Where(o => o.Uid != 0 || o.UserName.Length != 0), Is.Empty);

        var restored = tmp.Sub("restored");
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", url, restored)).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(restored, includeOwner: false), Is.EqualTo(TreeSnapshot.Describe(source, includeOwner: false)));
    }

    [Test]
    public async Task PortableIncrementalContinuesANativeFull()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        PortableTree.Create(source);
        if (TestTree.IsRoot) PortableTree.Chown(Path.Combine(source, "run.sh"), 1); // an owner the portable layer cannot see
        var url = "file://" + tmp.Sub("remote");
        var full = await BackupAsync(tmp, source);
        Assert.That(full.IsFull, Is.True);
        Assert.That(PortableTree.StoredOwners(tmp.Sub("remote")).Any(o => o.UserName.Length > 0), Is.True, "the native layer stores owner names");

        PortableTree.Write(source, "a.txt", "alpha changed\n"u8.ToArray(), 0x1A4, 1_600_000_500);
        PortableTree.Write(source, "sub/new.txt", "new\n"u8.ToArray(), 0x1A4, 1_600_000_501);
        PortableTree.SetDirectory(Path.Combine(source, "sub"), 0x1C0, 1_600_000_502);
        BackupResult inc;
        using (FileLayer.Use(FileLayer.Portable))
            inc = await BackupAsync(tmp, source, T0 + 3600, BackupMode.Incremental);
        Assert.That(inc.IsFull, Is.False);
        // sub/new.txt and the folder sub (duplicity counts a changed non-file as new), a.txt as a delta; run.sh,
        // whose owner only the native full saw, and every unchanged object are not stored again.
        Assert.That(inc.Statistics.NewFiles, Is.EqualTo(2));
        Assert.That(inc.Statistics.ChangedFiles, Is.EqualTo(1));

        var latest = TreeSnapshot.Describe(source, includeOwner: false);
        (await DuplicityCli.RunAsync(tmp.Sub("dupcache"), "restore", "--no-encryption", url, tmp.Sub("by-duplicity"))).EnsureSuccess();
        Assert.That(TreeSnapshot.Describe(tmp.Sub("by-duplicity"), includeOwner: false), Is.EqualTo(latest));
        using (FileLayer.Use(FileLayer.Portable))
            await RestoreAsync(tmp, tmp.Sub("by-portable"));
        Assert.That(TreeSnapshot.Describe(tmp.Sub("by-portable"), includeOwner: false), Is.EqualTo(latest));
    }

    [Test]
    public async Task PortableVerifyComparesDataAndModesButNotOwners()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        PortableTree.Create(source);
        if (TestTree.IsRoot) PortableTree.Chown(Path.Combine(source, "run.sh"), 1); // stored by the native full
        await BackupAsync(tmp, source);
        async Task<VerifyResult> VerifyAsync()
        {
            await using var backend = new BackendRegistry().AddFileSystem().Open("file://" + tmp.Sub("remote"));
            await using var repo = await BackupRepository.OpenAsync(backend, Repo(tmp, T0 + 60));
            return await new VerifySession(repo, new VerifyOptions { LocalPath = source, CompareData = true }).RunAsync();
        }
        using var portable = FileLayer.Use(FileLayer.Portable);
        var same = await VerifyAsync();
        Assert.That(same.FilesCompared, Is.EqualTo(13));
        Assert.That(same.Differences, Is.Empty, "an owner the portable layer cannot see is no difference");

        File.WriteAllText(Path.Combine(source, "a.txt"), "alphA\n"); // same size
        File.SetLastWriteTimeUtc(Path.Combine(source, "a.txt"), DateTime.UnixEpoch.AddSeconds(1_600_000_001));
        File.SetUnixFileMode(Path.Combine(source, "big.bin"), (UnixFileMode)0x1A4);
        var changed = await VerifyAsync();
        Assert.That(changed.Differences.Select(d => (d.Path, d.Kind)),
            Is.EquivalentTo(new[] { ("a.txt", VerifyDifferenceKind.Data), ("big.bin", VerifyDifferenceKind.Permissions) }));
    }

    [Test]
    public async Task PortableRestoreSkipsNamedPipesWithAWarning()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        PortableTree.Create(source);
        Posix.Mkfifo(PortableTree.B(Path.Combine(source, "pipe")), 0x1A4);
        PortableTree.SetDirectory(source, 0x1ED, 1_600_000_103);
        await BackupAsync(tmp, source); // native: the pipe is stored
        var logs = new RecordingLoggerFactory();
        RestoreResult result;
        using (FileLayer.Use(FileLayer.Portable))
            result = await RestoreAsync(tmp, tmp.Sub("out"), logs);
        Assert.That(result.DeviceFilesSkipped, Is.EqualTo(1));
        Assert.That(result.ObjectsRestored, Is.EqualTo(13));
        Assert.That(logs.Messages.Any(m => m.Contains("pipe") && m.Contains("cannot create named pipes")), Is.True, string.Join("\n", logs.Messages));
        File.Delete(Path.Combine(source, "pipe"));
        PortableTree.SetDirectory(source, 0x1ED, 1_600_000_103);
        Assert.That(TreeSnapshot.Describe(tmp.Sub("out"), includeOwner: false), Is.EqualTo(TreeSnapshot.Describe(source, includeOwner: false)));
    }

    /// <summary>Keeps every formatted log message.</summary>
    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        public List<string> Messages { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages) Messages.Add(formatter(state, exception));
        }
    }
}
