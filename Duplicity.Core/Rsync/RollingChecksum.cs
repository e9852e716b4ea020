using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Duplicity.Rsync;

/// <summary>
/// librsync's "rollsum" weak checksum: Adler-32-like sums of (byte + 31). The halves are kept in
/// 32-bit integers that wrap; only their low 16 bits reach <see cref="Digest"/>, which is what
/// librsync's wider arithmetic yields too.
/// </summary>
internal struct RollingChecksum
{
    /// <summary>librsync's CHAR_OFFSET, added to every byte.</summary>
    public const uint CharOffset = 31;

    /// <summary>Sum of (byte + 31) over the window (low 16 bits significant).</summary>
    public uint S1;

    /// <summary>Sum of the running <see cref="S1"/> values (low 16 bits significant).</summary>
    public uint S2;

    /// <summary>Number of bytes in the window.</summary>
    public long Count;

    /// <summary>The 32-bit weak sum: s2 in the high half, s1 in the low half.</summary>
    public readonly uint Digest => (S2 << 16) | (S1 & 0xFFFF);

    /// <summary>Computes the weak sum of a whole block.</summary>
    public static uint Of(ReadOnlySpan<byte> block)
    {
        var sum = default(RollingChecksum);
        sum.Update(block);
        return sum.Digest;
    }

    /// <summary>Appends bytes to the window.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        int vectorLength = 0;
        if (Avx2.IsSupported && data.Length >= 32)
        {
            vectorLength = data.Length & ~31;
            SumsAvx2(data[..vectorLength], out uint plain, out uint weighted);
            Append(plain, weighted, (uint)vectorLength);
        }

        uint s1 = S1, s2 = S2;
        foreach (byte value in data[vectorLength..])
        {
            s1 += value + CharOffset;
            s2 += s1;
        }

        S1 = s1;
        S2 = s2;
        Count += data.Length;
    }

    /// <summary>Slides the window one byte: drops <paramref name="outByte"/> at the front, appends <paramref name="inByte"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rotate(byte outByte, byte inByte)
    {
        S1 += (uint)inByte - outByte;
        S2 += S1 - (uint)Count * (outByte + CharOffset);
    }

    /// <summary>Drops <paramref name="outByte"/> from the front; the window shrinks by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RollOut(byte outByte)
    {
        S1 -= outByte + CharOffset;
        S2 -= (uint)Count * (outByte + CharOffset);
        Count--;
    }

    // Folds in a run of `length` bytes whose plain sum and position-weighted sum are known.
    private void Append(uint plain, uint weighted, uint length)
    {
        uint offsetTriangle = CharOffset * (uint)((ulong)length * (length + 1) / 2);
        S2 += length * S1 + weighted + offsetTriangle;
        S1 += plain + CharOffset * length;
    }

    /// <summary>
    /// For data of length m (a multiple of 32): plain = sum of b[i], weighted = sum of (m - i) * b[i],
    /// both modulo 2^32, 32 bytes per step.
    /// </summary>
    private static void SumsAvx2(ReadOnlySpan<byte> data, out uint plain, out uint weighted)
    {
        Vector256<sbyte> weights = Vector256.Create(
            (sbyte)32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
            16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        Vector256<short> ones = Vector256.Create((short)1);
        Vector256<uint> sums = Vector256<uint>.Zero;      // byte sums so far (in 64-bit lanes' low halves)
        Vector256<uint> prefix = Vector256<uint>.Zero;    // sum, over chunks, of the byte sums before each
        Vector256<uint> inner = Vector256<uint>.Zero;     // within-chunk weighted sums

        ref byte start = ref MemoryMarshal.GetReference(data);
        int chunks = data.Length / 32;
        for (int i = 0; i < chunks; i++)
        {
            Vector256<byte> chunk = Vector256.LoadUnsafe(ref start, (nuint)(i * 32));
            prefix += sums;
            sums += Avx2.SumAbsoluteDifferences(chunk, Vector256<byte>.Zero).AsUInt32();
            inner += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(chunk, weights), ones).AsUInt32();
        }

        plain = Vector256.Sum(sums);
        weighted = 32 * Vector256.Sum(prefix) + Vector256.Sum(inner);
    }
}
