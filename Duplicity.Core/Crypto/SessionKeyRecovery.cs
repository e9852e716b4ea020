using System.Reflection;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Duplicity.Crypto;

/// <summary>A recovered OpenPGP session key and its symmetric algorithm.</summary>
internal sealed record SessionKey(SymmetricKeyAlgorithmTag Algorithm, byte[] Key)
{
    /// <summary>True for AES-128/192/256, which the fast SEIPD path decrypts itself.</summary>
    public bool IsAes => (Algorithm, Key.Length) is (SymmetricKeyAlgorithmTag.Aes128, 16) or (SymmetricKeyAlgorithmTag.Aes192, 24) or (SymmetricKeyAlgorithmTag.Aes256, 32);
}

/// <summary>
/// Recovers session keys from SKESK and PKESK packets with BouncyCastle's own code (all S2K kinds,
/// RSA, ElGamal, ECDH), so that the bulk decryption can run on .NET's AES. BouncyCastle 2.7 keeps
/// these steps private, so they are reached by reflection; when that fails (another version),
/// <see cref="IsAvailable"/> is false and callers stay on BouncyCastle's own decrypting stream.
/// </summary>
internal static class SessionKeyRecovery
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
    private static readonly FieldInfo? SkeskField = typeof(PgpPbeEncryptedData).GetField("m_keyData", Private);
    private static readonly MethodInfo? RecoverSessionData = typeof(PgpPublicKeyEncryptedData).GetMethod(
        "RecoverSessionData", Private, [typeof(PgpPrivateKey)]);

    private static readonly Lazy<bool> Checked = new(() => HasMembers && FastPathSelfCheck.Run(FromPassphrase));

    /// <summary>
    /// True when this BouncyCastle exposes the members used here and the fast path decrypted a known
    /// message correctly at start-up (checked once per process).
    /// </summary>
    public static bool IsAvailable => Checked.Value;

    /// <summary>True when the private members read here exist with the expected types.</summary>
    internal static bool HasMembers => SkeskField?.FieldType == typeof(SymmetricKeyEncSessionPacket) && RecoverSessionData?.ReturnType == typeof(byte[]);

    /// <summary>The S2K specifier of a passphrase packet, or null where this BouncyCastle hides it.</summary>
    public static S2k? S2kOf(PgpPbeEncryptedData data) =>
        SkeskField?.FieldType == typeof(SymmetricKeyEncSessionPacket) ? ((SymmetricKeyEncSessionPacket?)SkeskField.GetValue(data))?.S2k : null;

    /// <summary>The session key of a passphrase packet (not checked: the caller's quick check does that).</summary>
    public static SessionKey FromPassphrase(PgpPbeEncryptedData data, char[] passphrase)
    {
        var packet = (SymmetricKeyEncSessionPacket)SkeskField!.GetValue(data)!;
        // .NET's hashes where the S2K kind allows (they are several times faster than BouncyCastle's).
        var derived = StringToKey.TryDerive(packet.EncAlgorithm, packet.S2k, passphrase)
            ?? PgpUtilities.MakeKeyFromPassPhraseUtf8(packet.EncAlgorithm, packet.S2k, passphrase).GetKey();
        var encrypted = packet.GetSecKeyData();
        if (encrypted is not { Length: > 0 }) return new SessionKey(packet.EncAlgorithm, derived);
        // An encrypted session key: algorithm byte and key under the S2K key, CFB with a zero IV.
        var cipher = CipherUtilities.GetCipher(PgpUtilities.GetSymmetricCipherName(packet.EncAlgorithm) + "/CFB/NoPadding");
        cipher.Init(false, new ParametersWithIV(new KeyParameter(derived), new byte[cipher.GetBlockSize()]));
        var plain = cipher.DoFinal(encrypted);
        Array.Clear(derived);
        if (plain.Length < 2) throw new PgpException("malformed encrypted session key");
        return new SessionKey((SymmetricKeyAlgorithmTag)plain[0], plain[1..]);
    }

    /// <summary>The session key of a public-key packet, or null when its checksum does not match (not this key).</summary>
    public static SessionKey? FromPrivateKey(PgpPublicKeyEncryptedData data, PgpPrivateKey key)
    {
        byte[] plain;
        try
        {
            plain = (byte[])RecoverSessionData!.Invoke(data, [key])!;
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        if (plain.Length < 4) return null;
        var sessionKey = plain.AsSpan(1, plain.Length - 3);
        var sum = 0;
        foreach (var b in sessionKey) sum += b;
        if ((ushort)sum != (plain[^2] << 8 | plain[^1])) return null;
        return new SessionKey((SymmetricKeyAlgorithmTag)plain[0], sessionKey.ToArray());
    }
}
