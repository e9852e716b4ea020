using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Duplicity.Rsync;

/// <summary>
/// MD4 (RFC 1320), the strong sum of librsync's MD4 signatures. .NET ships no MD4, and the
/// signature and delta paths hash every block, so the compression function is fully unrolled.
/// </summary>
internal static class Md4
{
    /// <summary>Digest size in bytes.</summary>
    public const int HashSizeInBytes = 16;

    internal const uint InitA = 0x67452301, InitB = 0xefcdab89, InitC = 0x98badcfe, InitD = 0x10325476;

    private const int BlockSize = 64;

    /// <summary>Hashes <paramref name="source"/> into the first 16 bytes of <paramref name="destination"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes)
        {
            throw new ArgumentException("The destination must hold 16 bytes.", nameof(destination));
        }

        uint a = InitA, b = InitB, c = InitC, d = InitD;
        int whole = source.Length & ~(BlockSize - 1);
        Compress(ref a, ref b, ref c, ref d, source[..whole]);
        Finish(a, b, c, d, source[whole..], source.Length, destination);
    }

    /// <summary>Pads the last partial 64-byte block, compresses it and writes the digest.</summary>
    internal static void Finish(uint a, uint b, uint c, uint d, ReadOnlySpan<byte> rest, long totalLength, Span<byte> destination)
    {
        // Padding: 0x80, zeros to 56 mod 64, then the bit length as a little-endian u64.
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        int tailLength = rest.Length < 56 ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)totalLength << 3);
        Compress(ref a, ref b, ref c, ref d, tail[..tailLength]);

        BinaryPrimitives.WriteUInt32LittleEndian(destination, a);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], c);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], d);
    }

    /// <summary>Runs the compression function over whole 64-byte blocks.</summary>
    private static void Compress(ref uint state0, ref uint state1, ref uint state2, ref uint state3, ReadOnlySpan<byte> blocks)
    {
        uint a = state0, b = state1, c = state2, d = state3;
        ref byte p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(blocks);
        int count = blocks.Length / BlockSize;
        for (int i = 0; i < count; i++, p = ref Unsafe.Add(ref p, BlockSize))
        {
            uint x0 = Word(ref p, 0), x1 = Word(ref p, 1), x2 = Word(ref p, 2), x3 = Word(ref p, 3);
            uint x4 = Word(ref p, 4), x5 = Word(ref p, 5), x6 = Word(ref p, 6), x7 = Word(ref p, 7);
            uint x8 = Word(ref p, 8), x9 = Word(ref p, 9), x10 = Word(ref p, 10), x11 = Word(ref p, 11);
            uint x12 = Word(ref p, 12), x13 = Word(ref p, 13), x14 = Word(ref p, 14), x15 = Word(ref p, 15);
            uint aa = a, bb = b, cc = c, dd = d;

            a = F(a, b, c, d, x0, 3); d = F(d, a, b, c, x1, 7); c = F(c, d, a, b, x2, 11); b = F(b, c, d, a, x3, 19);
            a = F(a, b, c, d, x4, 3); d = F(d, a, b, c, x5, 7); c = F(c, d, a, b, x6, 11); b = F(b, c, d, a, x7, 19);
            a = F(a, b, c, d, x8, 3); d = F(d, a, b, c, x9, 7); c = F(c, d, a, b, x10, 11); b = F(b, c, d, a, x11, 19);
            a = F(a, b, c, d, x12, 3); d = F(d, a, b, c, x13, 7); c = F(c, d, a, b, x14, 11); b = F(b, c, d, a, x15, 19);

            a = G(a, b, c, d, x0, 3); d = G(d, a, b, c, x4, 5); c = G(c, d, a, b, x8, 9); b = G(b, c, d, a, x12, 13);
            a = G(a, b, c, d, x1, 3); d = G(d, a, b, c, x5, 5); c = G(c, d, a, b, x9, 9); b = G(b, c, d, a, x13, 13);
            a = G(a, b, c, d, x2, 3); d = G(d, a, b, c, x6, 5); c = G(c, d, a, b, x10, 9); b = G(b, c, d, a, x14, 13);
            a = G(a, b, c, d, x3, 3); d = G(d, a, b, c, x7, 5); c = G(c, d, a, b, x11, 9); b = G(b, c, d, a, x15, 13);

            a = H(a, b, c, d, x0, 3); d = H(d, a, b, c, x8, 9); c = H(c, d, a, b, x4, 11); b = H(b, c, d, a, x12, 15);
            a = H(a, b, c, d, x2, 3); d = H(d, a, b, c, x10, 9); c = H(c, d, a, b, x6, 11); b = H(b, c, d, a, x14, 15);
            a = H(a, b, c, d, x1, 3); d = H(d, a, b, c, x9, 9); c = H(c, d, a, b, x5, 11); b = H(b, c, d, a, x13, 15);
            a = H(a, b, c, d, x3, 3); d = H(d, a, b, c, x11, 9); c = H(c, d, a, b, x7, 11); b = H(b, c, d, a, x15, 15);

            a += aa; b += bb; c += cc; d += dd;
        }

        state0 = a; state1 = b; state2 = c; state3 = d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Word(ref byte block, int index)
    {
        uint value = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, index * 4));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint F(uint a, uint b, uint c, uint d, uint x, int s) =>
        BitOperations.RotateLeft(a + (d ^ (b & (c ^ d))) + x, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint G(uint a, uint b, uint c, uint d, uint x, int s) =>
        BitOperations.RotateLeft(a + ((b & c) | (d & (b | c))) + x + 0x5A827999u, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint H(uint a, uint b, uint c, uint d, uint x, int s) =>
        BitOperations.RotateLeft(a + (b ^ c ^ d) + x + 0x6ED9EBA1u, s);
}
