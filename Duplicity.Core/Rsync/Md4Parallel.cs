using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Duplicity.Rsync;

/// <summary>
/// MD4 of eight equal-length messages at once, one per 32-bit lane of AVX2 vectors. Signature
/// blocks are independent, so this runs the serial MD4 chain eight times in parallel.
/// </summary>
internal static class Md4Parallel
{
    /// <summary>Messages hashed per call.</summary>
    public const int Lanes = 8;

    /// <summary>True when the hardware can run <see cref="HashEight"/>.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// Hashes the eight consecutive <paramref name="length"/>-byte messages at the start of
    /// <paramref name="data"/>; digest i goes to <c>digests[16*i .. 16*i+16)</c>.
    /// </summary>
    public static unsafe void HashEight(ReadOnlySpan<byte> data, int length, Span<byte> digests)
    {
        if (!Avx2.IsSupported || length <= 0 || data.Length < (long)Lanes * length || digests.Length < Lanes * Md4.HashSizeInBytes)
        {
            throw new ArgumentException("HashEight needs AVX2, eight whole messages and room for eight digests.");
        }

        Vector256<int> offsets = Vector256.Create(0, length, 2 * length, 3 * length, 4 * length, 5 * length, 6 * length, 7 * length);
        var a = Vector256.Create(Md4.InitA);
        var b = Vector256.Create(Md4.InitB);
        var c = Vector256.Create(Md4.InitC);
        var d = Vector256.Create(Md4.InitD);
        int chunks = length / 64;

        fixed (byte* start = data)
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                int* p = (int*)(start + chunk * 64);
                var x0 = Load(p, 0, offsets); var x1 = Load(p, 1, offsets); var x2 = Load(p, 2, offsets); var x3 = Load(p, 3, offsets);
                var x4 = Load(p, 4, offsets); var x5 = Load(p, 5, offsets); var x6 = Load(p, 6, offsets); var x7 = Load(p, 7, offsets);
                var x8 = Load(p, 8, offsets); var x9 = Load(p, 9, offsets); var x10 = Load(p, 10, offsets); var x11 = Load(p, 11, offsets);
                var x12 = Load(p, 12, offsets); var x13 = Load(p, 13, offsets); var x14 = Load(p, 14, offsets); var x15 = Load(p, 15, offsets);
                var aa = a; var bb = b; var cc = c; var dd = d;

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
        }

        // The padded tail of each message is finished one lane at a time.
        int whole = chunks * 64;
        for (int lane = 0; lane < Lanes; lane++)
        {
            ReadOnlySpan<byte> rest = data.Slice(lane * length + whole, length - whole);
            Md4.Finish(a.GetElement(lane), b.GetElement(lane), c.GetElement(lane), d.GetElement(lane), rest, length,
                digests.Slice(lane * Md4.HashSizeInBytes, Md4.HashSizeInBytes));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Load(int* chunk, int word, Vector256<int> offsets) =>
        Avx2.GatherVector256(chunk + word, offsets, 1).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> value, int shift) =>
        (value << shift) | (value >>> (32 - shift));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> F(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> x, int s) =>
        Rotate(a + (d ^ (b & (c ^ d))) + x, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> G(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> x, int s) =>
        Rotate(a + ((b & c) | (d & (b | c))) + x + Vector256.Create(0x5A827999u), s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> H(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> x, int s) =>
        Rotate(a + (b ^ c ^ d) + x + Vector256.Create(0x6ED9EBA1u), s);
}
