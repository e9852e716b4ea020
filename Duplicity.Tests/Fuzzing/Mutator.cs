using System.Buffers.Binary;

namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// Deterministic mutation of seed inputs: bit flips, interesting byte and integer values, inserts,
/// deletes, block duplication, splicing of two seeds, dictionary tokens and the target's own
/// structure-aware mutation. The same <see cref="Random"/> state always gives the same mutant.
/// </summary>
internal sealed class Mutator(FuzzTarget target, IReadOnlyList<byte[]> seeds, int maxLength = 256 * 1024)
{
    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x20, (byte)'0', (byte)'7', (byte)'/', (byte)'\n', (byte)'"', (byte)'\\'];

    private static readonly ulong[] InterestingIntegers =
        [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, ulong.MaxValue, 512, 4096, 1 << 24];

    public byte[] Next(Random random)
    {
        byte[] data = seeds[random.Next(seeds.Count)];
        int rounds = random.Next(8) == 0 ? 2 + random.Next(14) : 1 + random.Next(4);
        for (int r = 0; r < rounds; r++)
        {
            data = MutateOnce(data, random);
            if (data.Length > maxLength) data = data[..maxLength];
        }
        return target.Fixup(data, random);
    }

    private byte[] MutateOnce(byte[] data, Random random)
    {
        if (data.Length == 0) return Insert(data, 0, RandomBytes(random, 1 + random.Next(8)));
        int pos = random.Next(data.Length);
        switch (random.Next(12))
        {
            case 0:
            {
                var copy = (byte[])data.Clone();
                copy[pos] ^= (byte)(1 << random.Next(8));
                return copy;
            }
            case 1:
            {
                var copy = (byte[])data.Clone();
                copy[pos] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return copy;
            }
            case 2:
            {
                var copy = (byte[])data.Clone();
                copy[pos] = (byte)random.Next(256);
                return copy;
            }
            case 3:
                return Insert(data, random.Next(data.Length + 1), RandomBytes(random, 1 + random.Next(16)));
            case 4:
            {
                int length = 1 + random.Next(Math.Min(data.Length - pos, random.Next(2) == 0 ? 8 : 1024));
                return [.. data.AsSpan(0, pos), .. data.AsSpan(pos + length)];
            }
            case 5:
            {
                int length = 1 + random.Next(Math.Min(data.Length - pos, 1024));
                return Insert(data, random.Next(data.Length + 1), data.AsSpan(pos, length).ToArray());
            }
            case 6:
            {
                byte[] other = seeds[random.Next(seeds.Count)];
                int cut = random.Next(other.Length + 1);
                return [.. data.AsSpan(0, pos), .. other.AsSpan(cut)];
            }
            case 7 or 8 when target.Dictionary.Count > 0:
            {
                byte[] token = target.Dictionary[random.Next(target.Dictionary.Count)];
                if (random.Next(2) == 0) return Insert(data, pos, token);
                var copy = (byte[])data.Clone();
                token.AsSpan(0, Math.Min(token.Length, copy.Length - pos)).CopyTo(copy.AsSpan(pos));
                return copy;
            }
            case 9 or 10:
                return target.MutateStructure(data, random);
            case 11:
                return random.Next(4) == 0 ? data[..pos] : WriteInteger(data, pos, random);
            default:
            {
                var copy = (byte[])data.Clone();
                copy[pos] ^= 0xFF;
                return copy;
            }
        }
    }

    private static byte[] WriteInteger(byte[] data, int pos, Random random)
    {
        var copy = (byte[])data.Clone();
        ulong value = InterestingIntegers[random.Next(InterestingIntegers.Length)];
        if (random.Next(4) == 0) value = unchecked(value + (ulong)(random.Next(3) - 1));
        int width = 1 << random.Next(4);
        Span<byte> bytes = stackalloc byte[8];
        if (random.Next(2) == 0) BinaryPrimitives.WriteUInt64BigEndian(bytes, value << (8 * (8 - width)));
        else BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        bytes[..Math.Min(width, copy.Length - pos)].CopyTo(copy.AsSpan(pos));
        return copy;
    }

    private static byte[] Insert(byte[] data, int pos, ReadOnlySpan<byte> bytes) => [.. data.AsSpan(0, pos), .. bytes, .. data.AsSpan(pos)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        if (random.Next(2) == 0) random.NextBytes(bytes);
        else bytes.AsSpan().Fill(InterestingBytes[random.Next(InterestingBytes.Length)]);
        return bytes;
    }
}
