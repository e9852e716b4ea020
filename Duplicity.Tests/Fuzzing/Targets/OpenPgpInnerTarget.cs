using System.Security.Cryptography;
using Duplicity.Crypto;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// The packets inside the encryption (compressed, one-pass signature, literal, signature): each mutant
/// is encrypted here under the known passphrase with a valid MDC, so every mutation reaches the
/// plaintext packet parsers instead of failing the quick check or the MDC. Same contract as
/// <see cref="OpenPgpTarget"/>.
/// </summary>
internal sealed class OpenPgpInnerTarget : OpenPgpTarget
{
    // SKESK v4: AES-256, iterated+salted S2K over SHA-256, fixed salt, count byte 0 (1024 bytes): cheap to derive.
    private static readonly byte[] Skesk = [0xC3, 13, 4, 9, 3, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0];

    private static readonly Lazy<byte[]> SessionKey = new(() =>
    {
        var s2k = new S2k(HashAlgorithmTag.Sha256, Skesk[6..14], Skesk[14]);
        return PgpUtilities.MakeKeyFromPassPhraseUtf8(SymmetricKeyAlgorithmTag.Aes256, s2k, Passphrase.ToCharArray()).GetKey();
    });

    public override string Name => "openpgp-inner";

    public override IReadOnlyList<byte[]> Dictionary { get; } = [[0xC8], [0xCB], [0xC4], [0xC2], [0xA3, 0x01], [0xA3, 0x02], [0xA3, 0x03], [0x78, 0x9C], [0x62], [0x74], [0x75]];

    public override byte[] Fixup(byte[] input, Random random) => input;

    public override void Execute(byte[] input, FuzzBudget budget) => Decrypt(Encrypt(input), budget);

    /// <summary>SKESK + SEIPD v1 (five-octet length) whose plaintext is <paramref name="packets"/>.</summary>
    public static byte[] Encrypt(byte[] packets)
    {
        var body = new MemoryStream();
        body.WriteByte(1);
        using (var cfb = new CfbMdcEncryptStream(body, (byte[])SessionKey.Value.Clone())) cfb.Write(packets);
        byte[] seipd = body.ToArray();
        var message = new MemoryStream();
        message.Write(Skesk);
        message.WriteByte(0xD2);
        message.WriteByte(0xFF);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, seipd.Length);
        message.Write(length);
        message.Write(seipd);
        CryptographicOperations.ZeroMemory(body.GetBuffer());
        return message.ToArray();
    }
}
