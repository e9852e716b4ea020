using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions.Resuming;

/// <summary>A source of incompressible files spanning several 64 KiB volumes, an in-memory backend and one archive dir.</summary>
internal sealed class ResumeFixture : IDisposable
{
    public const long T0 = 1_700_000_000;
    public const long VolumeSize = 64 * 1024;

    private readonly TempFolder _tmp = new();

    public ResumeFixture(int files = 6, int fileBytes = 150_000)
    {
        Source = Directory.CreateDirectory(_tmp.Sub("src")).FullName;
        var random = new Random(12);
        for (int i = 0; i < files; i++)
        {
            var bytes = new byte[fileBytes];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(Source, $"file{i:D2}.bin"), bytes);
        }
        File.WriteAllText(Path.Combine(Source, "small.txt"), "small");
    }

    public string Source { get; }

    public InMemoryBackend Backend { get; } = new();

    public string ArchiveRoot => _tmp.Sub("cache");

    public string ArchiveDir => Path.Combine(ArchiveRoot, "resume");

    public string Sub(string name) => _tmp.Sub(name);

    public RepositoryOptions Repository(long time) => new() { TimeProvider = new FixedClock(time), ArchiveDirectory = ArchiveRoot, Name = "resume" };

    public BackupOptions Options(BackupMode mode = BackupMode.Auto) => new() { Source = Source, Mode = mode, VolumeSize = VolumeSize, Hostname = "host" };

    public Task<BackupResult> BackupAsync(long time, IBackend? through = null, BackupMode mode = BackupMode.Auto) =>
        Support.Sessions.BackupAsync(through ?? Backend, Repository(time), Options(mode));

    /// <summary>Restores the newest state into a new folder and returns its description.</summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(string name)
    {
        var target = Path.Combine(Directory.CreateDirectory(_tmp.Sub("restores")).FullName, name);
        await Support.Sessions.RestoreAsync(Backend, new RepositoryOptions { ArchiveDirectory = _tmp.Sub("restore-cache"), Name = name }, new RestoreOptions { Target = target });
        return TreeSnapshot.Describe(target, includeRootMtime: false);
    }

    /// <summary>Changes part of four files, adds one and deletes one, so an incremental spans several volumes.</summary>
    public void Change(int step)
    {
        var random = new Random(step);
        foreach (var file in Directory.GetFiles(Source, "*.bin").Order(StringComparer.Ordinal).Take(4))
        {
            var bytes = File.ReadAllBytes(file);
            random.NextBytes(bytes.AsSpan(0, bytes.Length * 2 / 3));
            File.WriteAllBytes(file, bytes);
            // Same size: only the modification time tells the change (whole seconds in signatures).
            File.SetLastWriteTimeUtc(file, DateTime.UnixEpoch.AddSeconds(1_600_000_000 + step * 1000));
        }
        File.WriteAllText(Path.Combine(Source, $"added{step}.txt"), $"step {step}");
        File.Delete(Directory.GetFiles(Source, "*.bin").Order(StringComparer.Ordinal).Last());
    }

    public IReadOnlyList<string> DescribeSource() => TreeSnapshot.Describe(Source, includeRootMtime: false);

    /// <summary>The stored files whose names contain <paramref name="part"/>.</summary>
    public Dictionary<string, byte[]> Stored(string part) =>
        Backend.Snapshot().Where(f => f.Key.Contains(part, StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value);

    public string[] ArchiveDirPartials() =>
        Directory.GetFiles(ArchiveDir, "*.part").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public void Dispose() => _tmp.Dispose();
}
