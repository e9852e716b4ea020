using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg.Sig;

namespace Duplicity.Crypto;

/// <summary>Decides, as gpg does, whether a key may be used for a purpose now (flags, revocation, expiry).</summary>
internal static class KeyUsage
{
    /// <summary>The newest (by creation time) key of a keyblock usable for <paramref name="flags"/>; subkeys win over the primary.</summary>
    public static PgpPublicKey? NewestUsable(IReadOnlyList<PgpPublicKey> keys, int flags)
    {
        PgpPublicKey? best = null;
        foreach (var k in keys)
        {
            if (k.IsMasterKey || !IsUsable(k, flags)) continue;
            if (best == null || k.CreationTime > best.CreationTime) best = k;
        }
        if (best != null) return best;
        foreach (var k in keys)
            if (k.IsMasterKey && IsUsable(k, flags)) return k;
        return null;
    }

    public static bool IsUsable(PgpPublicKey key, int flags)
    {
        var wantsEncryption = (flags & (KeyFlags.EncryptComms | KeyFlags.EncryptStorage)) != 0;
        if (wantsEncryption ? !key.IsEncryptionKey : !CanSign(key.Algorithm)) return false;
        if (key.HasRevocation()) return false;
        var valid = key.GetValidSeconds();
        if (valid > 0 && key.CreationTime.AddSeconds(valid) < DateTime.UtcNow) return false;
        var declared = DeclaredFlags(key);
        return declared == null || (declared.Value & flags) != 0;
    }

    private static bool CanSign(PublicKeyAlgorithmTag algorithm) => algorithm is PublicKeyAlgorithmTag.RsaGeneral
        or PublicKeyAlgorithmTag.RsaSign or PublicKeyAlgorithmTag.Dsa or PublicKeyAlgorithmTag.ECDsa
        or PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519 or PublicKeyAlgorithmTag.Ed448;

    /// <summary>Key flags of the newest self-signature or binding signature, or null when none declares any.</summary>
    private static int? DeclaredFlags(PgpPublicKey key)
    {
        int? flags = null;
        var newest = DateTime.MinValue;
        foreach (PgpSignature sig in key.GetSignatures())
        {
            var relevant = key.IsMasterKey
                ? sig.KeyId == key.KeyId && (sig.IsCertification() || sig.SignatureType == PgpSignature.DirectKey)
                : sig.SignatureType == PgpSignature.SubkeyBinding;
            if (!relevant || !sig.HasSubpackets) continue;
            var hashed = sig.GetHashedSubPackets();
            if (!hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags) || sig.CreationTime < newest) continue;
            newest = sig.CreationTime;
            flags = hashed.GetKeyFlags();
        }
        return flags;
    }
}
