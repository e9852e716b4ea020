using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Duplicity.Rsync;

namespace Duplicity.Tests.Rsync;

/// <summary>Signatures and deltas built to exhaust time or disk: the work and the output stay bounded.</summary>
[Category("Fault")]
public class HostileRsyncTests
{
    private sealed class CountingSink : Duplicity.IO.WriteOnlyStream
    {
        public long Written { get; private set; }
        public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A delta of <paramref name="count"/> COPY(offset, length) commands (8-byte fields) and END.</summary>
    private static byte[] RepeatedCopies(int count, long offset, long length)
    {
        var delta = new byte[4 + count * 17 + 1];
        BinaryPrimitives.WriteUInt32BigEndian(delta, SignatureParameters.DeltaMagic);
        for (int i = 0; i < count; i++)
        {
            var at = delta.AsSpan(4 + i * 17);
            at[0] = 0x54; // COPY with 8-byte offset and 8-byte length
            BinaryPrimitives.WriteInt64BigEndian(at[1..], offset);
            BinaryPrimitives.WriteInt64BigEndian(at[9..], length);
        }
        return delta;
    }

    [Test]
    public void ADeltaCopyingTheWholeBasisOverAndOverIsRefused()
    {
        var basis = new MemoryStream(new byte[1 << 20]);
        var sink = new CountingSink();
        // 4,000 copies of the 1 MiB basis: 68 KB of delta asking for 4 GB of output.
        var e = Assert.ThrowsAsync<ArchiveCorruptException>(() => DeltaPatcher.ApplyAsync(basis, new MemoryStream(RepeatedCopies(4000, 0, 1 << 20)), sink, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("amplifying"));
        // Each 1 MiB COPY spends 1 MiB less the free 64 KiB block allowance: 16/15 of the allowance at most, plus the COPY that ran out.
        Assert.That(sink.Written, Is.LessThanOrEqualTo(DeltaPatcher.MinRepeatAllowance / 15 * 16 + (2L << 20)), "stopped once the repeat allowance ran out");
    }

    [Test]
    public async Task AFewWholeBasisRepeatsAndManyBlockCopiesStillApply()
    {
        // "the old file twice" and "one block many times" (a file of zeros over a small basis) are real deltas.
        var basis = new byte[1 << 20];
        new Random(4).NextBytes(basis);
        var output = new MemoryStream();
        await DeltaPatcher.ApplyAsync(new MemoryStream(basis), new MemoryStream(RepeatedCopies(2, 0, basis.Length)), output, CancellationToken.None);
        Assert.That(output.ToArray(), Is.EqualTo(basis.Concat(basis).ToArray()));

        var sink = new CountingSink();
        await DeltaPatcher.ApplyAsync(new MemoryStream(basis), new MemoryStream(RepeatedCopies(20_000, 4096, 2048)), sink, CancellationToken.None);
        Assert.That(sink.Written, Is.EqualTo(20_000L * 2048));

        // A new version made of 40 copies of a 1 MiB old one (more than 16 times the basis) still restores.
        var repeated = new CountingSink();
        await DeltaPatcher.ApplyAsync(new MemoryStream(basis), new MemoryStream(RepeatedCopies(40, 0, basis.Length)), repeated, CancellationToken.None);
        Assert.That(repeated.Written, Is.EqualTo(40L * basis.Length));
    }

    [Test]
    public void ACopyPastTheBasisEndIsRefused()
    {
        var basis = new MemoryStream(new byte[1000]);
        Assert.ThrowsAsync<ArchiveCorruptException>(() => DeltaPatcher.ApplyAsync(basis, new MemoryStream(RepeatedCopies(1, 900, 200)), new CountingSink(), CancellationToken.None));
        Assert.ThrowsAsync<ArchiveCorruptException>(() => DeltaPatcher.ApplyAsync(basis, new MemoryStream(RepeatedCopies(1, long.MaxValue, 1)), new CountingSink(), CancellationToken.None));
    }

    /// <summary>
    /// <paramref name="blocks"/> blocks that all carry the weak sum of a window of zeros, each with a
    /// different strong sum, so every window of a zero input finds the whole list as candidates.
    /// </summary>
    private static byte[] CollidingSignature(int blocks, int blockLength)
    {
        uint weak = RollingChecksum.Of(new byte[blockLength]);
        var signature = new byte[SignatureParameters.HeaderLength + blocks * (4 + SignatureParameters.StrongSumLength)];
        BinaryPrimitives.WriteUInt32BigEndian(signature, SignatureParameters.Md4SignatureMagic);
        BinaryPrimitives.WriteInt32BigEndian(signature.AsSpan(4), blockLength);
        BinaryPrimitives.WriteInt32BigEndian(signature.AsSpan(8), SignatureParameters.StrongSumLength);
        var random = new Random(11);
        for (int i = 0; i < blocks; i++)
        {
            var entry = signature.AsSpan(SignatureParameters.HeaderLength + i * 12, 12);
            BinaryPrimitives.WriteUInt32BigEndian(entry, weak);
            random.NextBytes(entry[4..]);
        }
        return signature;
    }

    [Test]
    public async Task TheDeltaSearchOverCollidingWeakSumsDoesBoundedWork()
    {
        const int blockLength = 2048, blocks = 200_000, inputLength = 16 << 20;
        var signature = Signature.Parse(CollidingSignature(blocks, blockLength));
        var input = new byte[inputLength]; // all zeros: every window has the shared weak sum
        var delta = new MemoryStream();
        var generator = new DeltaGenerator(signature, delta);
        var clock = Stopwatch.StartNew();
        for (int at = 0; at < input.Length; at += 65536) generator.Append(input.AsSpan(at, 65536));
        generator.Complete();
        clock.Stop();
        TestContext.Out.WriteLine($"{inputLength} bytes against {blocks} colliding blocks: {generator.WorkSpent} work units, {clock.ElapsedMilliseconds} ms");
        // Unbounded, this is blocks * inputLength = 3.4e12 candidate checks.
        long bound = DeltaGenerator.InitialWorkCredit + (DeltaGenerator.WorkCreditPerByte * inputLength) + blocks + blockLength;
        Assert.That(generator.WorkSpent, Is.LessThanOrEqualTo(bound));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
        // Nothing matched, so the delta is literals only and rebuilds the input from any basis.
        var rebuilt = new MemoryStream();
        delta.Position = 0;
        await DeltaPatcher.ApplyAsync(new MemoryStream(), delta, rebuilt, CancellationToken.None);
        Assert.That(SHA256.HashData(rebuilt.ToArray()), Is.EqualTo(SHA256.HashData(input)));
    }

    [Test]
    public void NormalDataSpendsFarLessThanTheCredit()
    {
        // A changed copy of random data: the search finds its blocks well inside the credit, so the
        // delta is the one rdiff writes (RdiffComparisonTests compares the bytes).
        var basis = new byte[8 << 20];
        new Random(5).NextBytes(basis);
        var changed = (byte[])basis.Clone();
        for (int i = 1000; i < changed.Length; i += 100_000) changed[i] ^= 0xff;
        var generator = new DeltaGenerator(Signature.Parse(RsyncTestData.MakeSignature(basis, 2048)), new MemoryStream());
        generator.Append(changed);
        generator.Complete();
        TestContext.Out.WriteLine($"{changed.Length} bytes of normal data: {generator.WorkSpent} work units");
        Assert.That(generator.WorkSpent, Is.LessThan(changed.Length * DeltaGenerator.WorkCreditPerByte / 8), "far below the credit rate");
    }
}
