using BenchmarkDotNet.Attributes;

namespace Duplicity.Benchmarks;

/// <summary>
/// Steady-state throughput of the librsync-compatible engine, file to file: each benchmark does what
/// the matching rdiff command does (scripts/benchmarks/rsync-vs-rdiff.sh runs both): signature reads
/// the old file and writes its signature file; delta reads the signature file, builds its index,
/// reads the new file and writes the delta file; patch reads the basis and the delta and writes the
/// new file. Inputs are DUPLICITY_BENCH_MIB MiB (default 128) of random data in a temporary folder,
/// so they are in the page cache (warm) as rdiff's are. Unlike the rdiff command lines, no process
/// start-up or JIT is included (BenchmarkDotNet warms up first); the script reports that cost apart.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class RsyncBenchmarks
{
    private string _dir = "";

    private string P(string name) => Path.Combine(_dir, name);

    [GlobalSetup]
    public void Setup()
    {
        int mib = int.TryParse(Environment.GetEnvironmentVariable("DUPLICITY_BENCH_MIB"), out int m) && m > 0 ? m : 128;
        _dir = Directory.CreateTempSubdirectory("duplicity-rsync-bench-").FullName;
        var random = new Random(1);
        var old = new byte[mib * 1024 * 1024];
        random.NextBytes(old);
        File.WriteAllBytes(P("old"), old);
        var edited = (byte[])old.Clone();
        random.NextBytes(edited.AsSpan(edited.Length / 2, Math.Min(1 << 20, edited.Length / 2)));
        File.WriteAllBytes(P("edited"), edited);
        random.NextBytes(old);
        File.WriteAllBytes(P("new"), old);
        FileCommands.Signature(P("old"), P("old.sig"));
        FileCommands.Delta(P("old.sig"), P("old"), P("same.delta"));
        FileCommands.Delta(P("old.sig"), P("edited"), P("edited.delta"));
        FileCommands.Delta(P("old.sig"), P("new"), P("new.delta"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Description = "signature (block 2048)")]
    public void Signature() => FileCommands.Signature(P("old"), P("out.sig"));

    [Benchmark(Description = "delta, unchanged file (matching path)")]
    public void DeltaUnchanged() => FileCommands.Delta(P("old.sig"), P("old"), P("out.delta"));

    [Benchmark(Description = "delta, 1 MiB overwritten in the middle")]
    public void DeltaEdited() => FileCommands.Delta(P("old.sig"), P("edited"), P("out.delta"));

    [Benchmark(Description = "delta, rewritten file (no-match path)")]
    public void DeltaRewritten() => FileCommands.Delta(P("old.sig"), P("new"), P("out.delta"));

    [Benchmark(Description = "patch, unchanged file (all COPY)")]
    public Task PatchUnchanged() => FileCommands.PatchAsync(P("old"), P("same.delta"), P("out"), CancellationToken.None);

    [Benchmark(Description = "patch, 1 MiB overwritten in the middle")]
    public Task PatchEdited() => FileCommands.PatchAsync(P("old"), P("edited.delta"), P("out"), CancellationToken.None);

    [Benchmark(Description = "patch, rewritten file (all LITERAL)")]
    public Task PatchRewritten() => FileCommands.PatchAsync(P("old"), P("new.delta"), P("out"), CancellationToken.None);
}
