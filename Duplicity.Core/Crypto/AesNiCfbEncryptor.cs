using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Duplicity.Crypto;

/// <summary>
/// AES-256 CFB-128 encryption with the AES-NI instructions. CFB encryption is serial (each block
/// needs the previous ciphertext), which .NET's one-shot <c>EncryptCfb</c> runs at ~100 MB/s here;
/// keeping the feedback register in an XMM register runs it at memory speed.
/// </summary>
internal sealed class AesNiCfbEncryptor
{
    private readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[15];
    private Vector128<byte> _register;

    /// <summary>True when the CPU has AES-NI (x86/x64).</summary>
    public static bool IsSupported => System.Runtime.Intrinsics.X86.Aes.IsSupported && Sse2.IsSupported;

    public AesNiCfbEncryptor(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32) throw new ArgumentException("AES-256 needs a 32-byte key", nameof(key));
        ExpandKey(key);
    }

    /// <summary>Encrypts whole 16-byte blocks, continuing the CFB chain from the previous call (zero IV at the start).</summary>
    public void EncryptBlocks(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ref var src = ref MemoryMarshal.GetReference(plaintext);
        ref var dst = ref MemoryMarshal.GetReference(ciphertext);
        var register = _register;
        var k = _roundKeys;
        var (k0, k1, k2, k3, k4, k5, k6, k7) = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]);
        var (k8, k9, k10, k11, k12, k13, k14) = (k[8], k[9], k[10], k[11], k[12], k[13], k[14]);
        for (nuint offset = 0; offset < (nuint)plaintext.Length; offset += 16)
        {
            var s = Sse2.Xor(register, k0);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k1);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k2);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k3);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k4);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k5);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k6);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k7);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k8);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k9);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k10);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k11);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k12);
            s = System.Runtime.Intrinsics.X86.Aes.Encrypt(s, k13);
            s = System.Runtime.Intrinsics.X86.Aes.EncryptLast(s, k14);
            register = Sse2.Xor(s, Vector128.LoadUnsafe(ref src, offset));
            register.StoreUnsafe(ref dst, offset);
        }
        _register = register;
    }

    /// <summary>The AES-256 key schedule built with AESKEYGENASSIST.</summary>
    private void ExpandKey(ReadOnlySpan<byte> key)
    {
        var t1 = Vector128.Create(key[..16]);
        var t3 = Vector128.Create(key[16..]);
        _roundKeys[0] = t1;
        _roundKeys[1] = t3;
        // AESKEYGENASSIST wants its round constant as an immediate, hence the unrolled schedule
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x01)); _roundKeys[2] = t1;
        t3 = NextOdd(t3, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t1, 0)); _roundKeys[3] = t3;
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x02)); _roundKeys[4] = t1;
        t3 = NextOdd(t3, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t1, 0)); _roundKeys[5] = t3;
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x04)); _roundKeys[6] = t1;
        t3 = NextOdd(t3, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t1, 0)); _roundKeys[7] = t3;
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x08)); _roundKeys[8] = t1;
        t3 = NextOdd(t3, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t1, 0)); _roundKeys[9] = t3;
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x10)); _roundKeys[10] = t1;
        t3 = NextOdd(t3, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t1, 0)); _roundKeys[11] = t3;
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x20)); _roundKeys[12] = t1;
        t3 = NextOdd(t3, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t1, 0)); _roundKeys[13] = t3;
        t1 = NextEven(t1, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(t3, 0x40)); _roundKeys[14] = t1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SpreadLeft(Vector128<byte> t)
    {
        var s = Sse2.ShiftLeftLogical128BitLane(t, 4);
        t = Sse2.Xor(t, s);
        s = Sse2.ShiftLeftLogical128BitLane(s, 4);
        t = Sse2.Xor(t, s);
        s = Sse2.ShiftLeftLogical128BitLane(s, 4);
        return Sse2.Xor(t, s);
    }

    private static Vector128<byte> NextEven(Vector128<byte> previous, Vector128<byte> assist) =>
        Sse2.Xor(SpreadLeft(previous), Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte());

    private static Vector128<byte> NextOdd(Vector128<byte> previous, Vector128<byte> assist) =>
        Sse2.Xor(SpreadLeft(previous), Sse2.Shuffle(assist.AsUInt32(), 0xAA).AsByte());
}
