using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace Duplicity.Crypto;

/// <summary>Writes the packets that carry the session key: SKESK v4 (passphrase) and PKESK v3 (RSA, ECDH Curve25519).</summary>
internal static class SessionKeyPackets
{
    private const byte Aes256 = 9;
    private const byte Sha1 = 2;
    /// <summary>The coded count 0xFF = 65011712 bytes hashed, gpg 2.2's usual calibrated value.</summary>
    private const byte S2KCount = 0xFF;
    private static readonly SecureRandom Random = new();

    /// <summary>Writes an SKESK v4 (AES-256, iterated+salted SHA-1 S2K) and returns the derived session key.</summary>
    public static byte[] WriteSymmetric(Stream output, string passphrase)
    {
        Span<byte> salt = stackalloc byte[8];
        RandomNumberGenerator.Fill(salt);
        var key = IteratedSaltedS2K(Encoding.UTF8.GetBytes(passphrase), salt, DecodeCount(S2KCount), 32);
        Span<byte> body = stackalloc byte[13];
        body[0] = 4;
        body[1] = Aes256;
        body[2] = 3;
        body[3] = Sha1;
        salt.CopyTo(body[4..]);
        body[12] = S2KCount;
        PacketLength.WriteOldFormatPacket(output, 3, body);
        return key;
    }

    /// <summary>Writes a PKESK v3 for <paramref name="key"/>; a hidden recipient gets the wildcard key id 0.</summary>
    public static void WritePublicKey(Stream output, PgpPublicKey key, byte[] sessionKey, bool hidden)
    {
        var message = new byte[sessionKey.Length + 3];
        message[0] = Aes256;
        sessionKey.CopyTo(message, 1);
        var sum = 0;
        foreach (var b in sessionKey) sum += b;
        message[^2] = (byte)(sum >> 8);
        message[^1] = (byte)sum;

        using var body = new MemoryStream();
        body.WriteByte(3);
        var id = new byte[8];
        if (!hidden) System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(id, key.KeyId);
        body.Write(id);
        body.WriteByte((byte)key.Algorithm);
        switch (key.Algorithm)
        {
            case PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt:
                var rsa = new Pkcs1Encoding(new RsaBlindedEngine());
                rsa.Init(true, new ParametersWithRandom(key.GetKey(), Random));
                WriteMpi(body, rsa.ProcessBlock(message, 0, message.Length));
                break;
            case PublicKeyAlgorithmTag.ECDH when key.PublicKeyPacket.Key is ECDHPublicBcpgKey ecdh && IsCurve25519(ecdh):
                WriteCurve25519(body, key, ecdh, message);
                break;
            default:
                throw new DuplicityException(DuplicityErrorCode.GpgFailed,
                    $"GPG error: encrypting to a {key.Algorithm} key ({key.KeyId:X16}) is not supported");
        }
        PacketLength.WriteOldFormatPacket(output, 1, body.ToArray());
    }

    private static bool IsCurve25519(ECDHPublicBcpgKey key) => key.CurveOid.Id == "1.3.6.1.4.1.3029.1.5.1";

    private static void WriteCurve25519(Stream body, PgpPublicKey key, ECDHPublicBcpgKey ecdh, byte[] message)
    {
        var point = ecdh.EncodedPoint.ToByteArrayUnsigned();
        if (point.Length != 33 || point[0] != 0x40)
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: malformed Curve25519 key {key.KeyId:X16}");
        var ephemeralSecret = new byte[X25519.ScalarSize];
        X25519.GeneratePrivateKey(Random, ephemeralSecret);
        var ephemeral = new byte[X25519.PointSize + 1];
        ephemeral[0] = 0x40;
        X25519.GeneratePublicKey(ephemeralSecret, 0, ephemeral, 1);
        var shared = new byte[X25519.PointSize];
        if (!X25519.CalculateAgreement(ephemeralSecret, 0, point, 1, shared, 0))
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: bad Curve25519 key {key.KeyId:X16}");

        var kek = Rfc6637Kdf(ecdh, key.GetFingerprint(), shared);
        var padded = Pkcs5Pad(message);
        var wrap = new Rfc3394WrapEngine(new AesEngine());
        wrap.Init(true, new KeyParameter(kek));
        var wrapped = wrap.Wrap(padded, 0, padded.Length);
        WriteMpi(body, ephemeral);
        body.WriteByte((byte)wrapped.Length);
        body.Write(wrapped);
        CryptographicOperations.ZeroMemory(ephemeralSecret);
        CryptographicOperations.ZeroMemory(shared);
    }

    /// <summary>RFC 6637 section 7: Hash(00 00 00 01 || Z || Param), cut to the key-wrap key length.</summary>
    private static byte[] Rfc6637Kdf(ECDHPublicBcpgKey ecdh, byte[] fingerprint, byte[] shared)
    {
        var oid = ecdh.CurveOid.GetEncoded();
        using var param = new MemoryStream();
        param.Write(oid, 1, oid.Length - 1); // length byte + OID body, without the DER tag
        param.WriteByte((byte)PublicKeyAlgorithmTag.ECDH);
        param.Write([3, 1, (byte)ecdh.HashAlgorithm, (byte)ecdh.SymmetricKeyAlgorithm]);
        param.Write("Anonymous Sender    "u8);
        param.Write(fingerprint);
        var name = ecdh.HashAlgorithm switch
        {
            HashAlgorithmTag.Sha256 => HashAlgorithmName.SHA256,
            HashAlgorithmTag.Sha384 => HashAlgorithmName.SHA384,
            HashAlgorithmTag.Sha512 => HashAlgorithmName.SHA512,
            _ => throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: unsupported ECDH KDF hash {ecdh.HashAlgorithm}"),
        };
        using var hash = IncrementalHash.CreateHash(name);
        hash.AppendData([0, 0, 0, 1]);
        hash.AppendData(shared);
        hash.AppendData(param.ToArray());
        var length = ecdh.SymmetricKeyAlgorithm switch
        {
            SymmetricKeyAlgorithmTag.Aes128 => 16,
            SymmetricKeyAlgorithmTag.Aes192 => 24,
            SymmetricKeyAlgorithmTag.Aes256 => 32,
            _ => throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: unsupported ECDH key wrap {ecdh.SymmetricKeyAlgorithm}"),
        };
        return hash.GetHashAndReset()[..length];
    }

    private static byte[] Pkcs5Pad(byte[] data)
    {
        var pad = 8 - data.Length % 8;
        var result = new byte[data.Length + pad];
        data.CopyTo(result, 0);
        result.AsSpan(data.Length).Fill((byte)pad);
        return result;
    }

    private static void WriteMpi(Stream output, byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        var bits = (value.Length - start - 1) * 8 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[start]));
        output.WriteByte((byte)(bits >> 8));
        output.WriteByte((byte)bits);
        output.Write(value, start, value.Length - start);
    }

    private static long DecodeCount(byte coded) => (16L + (coded & 15)) << ((coded >> 4) + 6);

    /// <summary>OpenPGP S2K type 3 with SHA-1 (see <see cref="StringToKey.Derive"/>).</summary>
    internal static byte[] IteratedSaltedS2K(byte[] passphrase, ReadOnlySpan<byte> salt, long count, int keyLength) =>
        StringToKey.Derive(HashAlgorithmName.SHA1, passphrase, salt, count, keyLength);
}
