using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg.Sig;

namespace Duplicity.Crypto;

/// <summary>
/// The OpenPGP keys available for encrypting, signing, decrypting and checking signatures: public
/// keyblocks and, where known, secret keys. Load it from a GnuPG home or from exports
/// (<c>gpg --export</c>, <c>gpg --export-secret-keys</c>, armored or binary).
/// </summary>
public sealed class OpenPgpKeyring
{
    private readonly List<PgpPublicKeyRing> _publicRings = [];
    private readonly List<PgpSecretKeyRing> _secretRings = [];
    private readonly List<SecretKeyEntry> _agentKeys = [];

    /// <summary>An empty keyring.</summary>
    public OpenPgpKeyring()
    {
    }

    /// <summary>Fingerprints (40 upper-case hex digits) of the primary keys of every keyblock known.</summary>
    public IReadOnlyList<string> PrimaryFingerprints =>
        AllPublicRings().Select(r => Convert.ToHexString(r.GetPublicKey().GetFingerprint())).Distinct().ToList();

    /// <summary>
    /// Loads the keys of a GnuPG home (<paramref name="home"/>, else <c>GNUPGHOME</c>, else
    /// <c>~/.gnupg</c>): public keys from pubring.kbx (keybox) or pubring.gpg, secret keys from
    /// gpg-agent's private-keys-v1.d (RSA, Ed25519, Curve25519; unprotected or protected with
    /// openpgp-s2k3-sha1-aes-cbc / openpgp-s2k3-ocb-aes), and GnuPG 1.x's secring.gpg when present.
    /// </summary>
    public static async Task<OpenPgpKeyring> LoadGnuPGHomeAsync(string? home = null, CancellationToken cancellationToken = default)
    {
        home ??= Environment.GetEnvironmentVariable("GNUPGHOME");
        if (string.IsNullOrEmpty(home))
            home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gnupg");
        if (!Directory.Exists(home))
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: GnuPG home '{home}' does not exist");
        var ring = new OpenPgpKeyring();
        var kbx = Path.Combine(home, "pubring.kbx");
        if (File.Exists(kbx))
        {
            var bytes = await File.ReadAllBytesAsync(kbx, cancellationToken).ConfigureAwait(false);
            foreach (var block in KeyboxReader.ReadKeyblocks(bytes)) ring.AddKeyData(block);
        }
        foreach (var name in new[] { "pubring.gpg", "secring.gpg" })
        {
            var path = Path.Combine(home, name);
            if (File.Exists(path)) ring.AddKeyData(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        var agentDir = Path.Combine(home, "private-keys-v1.d");
        if (Directory.Exists(agentDir))
            foreach (var path in Directory.GetFiles(agentDir, "*.key"))
                ring.AddAgentKey(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        return ring;
    }

    /// <summary>Reads an armored export (<c>gpg --armor --export</c> or <c>--export-secret-keys</c>).</summary>
    public static Task<OpenPgpKeyring> FromArmoredAsync(Stream input, CancellationToken cancellationToken = default) =>
        new OpenPgpKeyring().AddExportAsync(input, cancellationToken);

    /// <summary>Reads a binary export or keyring file (<c>gpg --export</c>, pubring.gpg, ...).</summary>
    public static Task<OpenPgpKeyring> FromBinaryAsync(Stream input, CancellationToken cancellationToken = default) =>
        new OpenPgpKeyring().AddExportAsync(input, cancellationToken);

    /// <summary>Reads an export file, armored or binary.</summary>
    public static async Task<OpenPgpKeyring> FromFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = File.OpenRead(path);
        await using var fileDisposal = file.ConfigureAwait(false);
        return await new OpenPgpKeyring().AddExportAsync(file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the keys of an export (armored or binary, public or secret) to this keyring; returns this.</summary>
    public async Task<OpenPgpKeyring> AddExportAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        AddKeyData(buffer.ToArray());
        return this;
    }

    /// <summary>True when a keyblock with this id or fingerprint is known.</summary>
    public bool Contains(string keyId) => FindPublicRing(KeyIdentifier.Parse(keyId)) != null;

    /// <summary>True when a secret key of the keyblock named by <paramref name="keyId"/> is known.</summary>
    public bool HasSecretKey(string keyId)
    {
        var id = KeyIdentifier.Parse(keyId);
        var ring = FindPublicRing(id);
        return ring != null && AllSecretKeys().Any(k => ring.GetPublicKey(k.PublicKey.KeyId) != null);
    }

    /// <summary>Pairs an agent key file with the public key whose public values (RSA n, ECC q) it holds; unmatched or unknown files are skipped.</summary>
    private void AddAgentKey(byte[] data)
    {
        GnuPGSecretKeyFile file;
        try
        {
            file = GnuPGSecretKeyFile.Parse(data);
        }
        catch (DuplicityException)
        {
            return; // shadowed (smartcard) or foreign keys: not usable here, as gpg would say when asked
        }
        var publicValue = file.PublicValue(file.Algorithm == "rsa" ? "n" : "q");
        if (publicValue == null) return;
        var wanted = new Org.BouncyCastle.Math.BigInteger(1, publicValue);
        foreach (var ring in _publicRings)
            foreach (PgpPublicKey k in ring.GetPublicKeys())
            {
                var have = k.PublicKeyPacket.Key switch
                {
                    RsaPublicBcpgKey rsa => rsa.Modulus,
                    ECPublicBcpgKey ec => ec.EncodedPoint,
                    _ => null,
                };
                if (have != null && have.Equals(wanted)) _agentKeys.Add(SecretKeyEntry.FromAgentFile(k, file));
            }
    }

    private void AddKeyData(byte[] data)
    {
        try
        {
            using var decoded = PgpUtilities.GetDecoderStream(new MemoryStream(data, writable: false));
            var factory = new PgpObjectFactory(decoded);
            while (factory.NextPgpObject() is { } obj)
            {
                switch (obj)
                {
                    case PgpPublicKeyRing pub: _publicRings.Add(pub); break;
                    case PgpSecretKeyRing sec: _secretRings.Add(sec); break;
                }
            }
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: cannot read key data: " + e.Message, e);
        }
    }

    private IEnumerable<PgpPublicKeyRing> AllPublicRings()
    {
        foreach (var r in _publicRings) yield return r;
        foreach (var s in _secretRings) yield return new PgpPublicKeyRing(s.GetPublicKeys().Select(k => k.GetEncoded()).SelectMany(b => b).ToArray());
    }

    private static bool Matches(KeyIdentifier id, PgpPublicKey key) => id.Matches(key.KeyId, key.GetFingerprint());

    internal PgpPublicKeyRing? FindPublicRing(KeyIdentifier id)
    {
        foreach (var ring in _publicRings)
            foreach (PgpPublicKey k in ring.GetPublicKeys())
                if (Matches(id, k)) return ring;
        foreach (var ring in _secretRings)
            foreach (PgpPublicKey k in ring.GetPublicKeys())
                if (Matches(id, k)) return new PgpPublicKeyRing(ring.GetPublicKeys().SelectMany(p => p.GetEncoded()).ToArray());
        return null;
    }

    /// <summary>The public key (primary or subkey) with this 64-bit id, for signature checks.</summary>
    internal PgpPublicKey? FindPublicKey(long keyId)
    {
        foreach (var ring in _publicRings)
            if (ring.GetPublicKey(keyId) is { } k) return k;
        foreach (var ring in _secretRings)
            if (ring.GetPublicKey(keyId) is { } k) return k;
        return null;
    }

    /// <summary>Secret keys with key material that can decrypt: the one with <paramref name="keyId"/>, or all when it is 0 (hidden recipient).</summary>
    internal IEnumerable<SecretKeyEntry> DecryptionCandidates(long keyId)
    {
        foreach (var k in AllSecretKeys())
            if (k.PublicKey.IsEncryptionKey && (keyId == 0 || k.PublicKey.KeyId == keyId))
                yield return k;
    }

    private IEnumerable<SecretKeyEntry> AllSecretKeys()
    {
        foreach (var ring in _secretRings)
            foreach (PgpSecretKey k in ring.GetSecretKeys())
                if (!k.IsPrivateKeyEmpty) yield return SecretKeyEntry.FromExport(k);
        foreach (var k in _agentKeys) yield return k;
    }

    /// <summary>
    /// The key gpg would encrypt to for <paramref name="recipient"/>: the newest valid
    /// encryption-capable subkey of the keyblock, else its primary key when that can encrypt.
    /// </summary>
    internal PgpPublicKey SelectEncryptionKey(string recipient)
    {
        var id = KeyIdentifier.Parse(recipient);
        var ring = FindPublicRing(id)
            ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: public key {id} not found");
        var chosen = KeyUsage.NewestUsable(ring.GetPublicKeys().ToList(), KeyFlags.EncryptComms | KeyFlags.EncryptStorage);
        return chosen ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: key {id} has no usable encryption key");
    }

    /// <summary>The secret key gpg would sign with for <paramref name="signer"/> (newest valid signing key of the keyblock).</summary>
    internal SecretKeyEntry SelectSigningKey(string signer)
    {
        var id = KeyIdentifier.Parse(signer);
        var ring = FindPublicRing(id);
        if (ring != null)
        {
            var secrets = AllSecretKeys().Where(k => ring.GetPublicKey(k.PublicKey.KeyId) != null).ToList();
            var chosen = KeyUsage.NewestUsable(secrets.Select(k => ring.GetPublicKey(k.PublicKey.KeyId)).ToList(), KeyFlags.SignData);
            if (chosen != null) return secrets.First(k => k.PublicKey.KeyId == chosen.KeyId);
        }
        throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: no usable secret signing key {id}");
    }
}
