using BenchmarkDotNet.Attributes;
using Duplicity.Rsync;

namespace Duplicity.Benchmarks;

/// <summary>
/// Throughput of the librsync-compatible engine on 64 MiB inputs, fed in 64 KiB pieces as the
/// backup reads files. MB/s = 64 MiB / mean time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class RsyncBenchmarks
{
    private const int Size = 64 * 1024 * 1024;
    private const int Chunk = 64 * 1024;
    private const int BlockLength = 2048;

    private byte[] _old = [];
    private byte[] _rewritten = [];
    private Signature _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _old = new byte[Size];
        _rewritten = new byte[Size];
        random.NextBytes(_old);
        random.NextBytes(_rewritten);
        var signature = new MemoryStream();
        var builder = new SignatureBuilder(BlockLength, signature);
        builder.Append(_old);
        builder.Complete();
        signature.Position = 0;
        _signature = Signature.Read(signature);
        _ = _signature.Index;
    }

    [Benchmark(Description = "signature 64 MiB, block 2048")]
    public void SignatureOf64MiB()
    {
        var builder = new SignatureBuilder(BlockLength, Stream.Null);
        Feed(_old, builder.Append);
        builder.Complete();
    }

    [Benchmark(Description = "delta, unchanged file (matching path)")]
    public void DeltaMatching()
    {
        var generator = new DeltaGenerator(_signature, Stream.Null);
        Feed(_old, generator.Append);
        generator.Complete();
    }

    [Benchmark(Description = "delta, rewritten random file (no-match path)")]
    public void DeltaNoMatch()
    {
        var generator = new DeltaGenerator(_signature, Stream.Null);
        Feed(_rewritten, generator.Append);
        generator.Complete();
    }

    private delegate void Sink(ReadOnlySpan<byte> data);

    private static void Feed(byte[] data, Sink sink)
    {
        for (int pos = 0; pos < data.Length; pos += Chunk)
        {
            sink(data.AsSpan(pos, Math.Min(Chunk, data.Length - pos)));
        }
    }
}
