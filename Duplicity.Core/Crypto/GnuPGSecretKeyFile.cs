using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Duplicity.Crypto;

/// <summary>
/// One key of gpg-agent's private-keys-v1.d: <c>(private-key (ALGO params...))</c> or
/// <c>(protected-private-key (ALGO public-params... (protected MODE ((sha1 SALT COUNT) IV) DATA) ...))</c>
/// with MODE openpgp-s2k3-sha1-aes-cbc or openpgp-s2k3-ocb-aes. Extended ("Key: ...") and canonical files.
/// </summary>
internal sealed class GnuPGSecretKeyFile
{
    private readonly SExpression _algorithm;

    private GnuPGSecretKeyFile(SExpression algorithm, bool isProtected)
    {
        _algorithm = algorithm;
        IsProtected = isProtected;
    }

    public bool IsProtected { get; }

    /// <summary>rsa, ecc, ...</summary>
    public string Algorithm => _algorithm.Name ?? "";

    /// <summary>A public parameter (n for RSA, q for ECC) to match the file against an OpenPGP key.</summary>
    public byte[]? PublicValue(string name) => _algorithm.Value(name);

    public static GnuPGSecretKeyFile Parse(byte[] file)
    {
        var sexp = file.Length > 0 && file[0] == '(' ? file : ExtendedKeyValue(file);
        var top = SExpression.Parse(sexp);
        if (top.Items is not { Count: >= 2 } || !top.Items[1].IsList)
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: malformed secret key file");
        return top.Name switch
        {
            "private-key" => new GnuPGSecretKeyFile(top.Items[1], false),
            "protected-private-key" => new GnuPGSecretKeyFile(top.Items[1], true),
            _ => throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: unsupported secret key file type '{top.Name}'"),
        };
    }

    /// <summary>The value of the "Key:" item of an extended key file (continuation lines start with white space).</summary>
    private static byte[] ExtendedKeyValue(byte[] file)
    {
        var text = Encoding.UTF8.GetString(file).Replace("\r", "");
        var value = new StringBuilder();
        var inKey = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("Key:", StringComparison.Ordinal)) { inKey = true; value.Append(line.AsSpan(4)); continue; }
            if (inKey && line.Length > 0 && char.IsWhiteSpace(line[0])) { value.Append('\n').Append(line); continue; }
            inKey = false;
        }
        if (value.Length == 0) throw new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: secret key file has no Key item");
        return Encoding.UTF8.GetBytes(value.ToString());
    }

    /// <summary>The secret parameters as a list of (name value) lists; wrong passphrase -> <see cref="WrongPassphraseException"/>.</summary>
    public SExpression SecretParameters(string passphrase, string keyId)
    {
        if (!IsProtected) return _algorithm;
        var prot = _algorithm.Find("protected")
            ?? throw new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: protected key without protection");
        var mode = prot.Items![1].Text;
        var s2k = prot.Items[2].Items![0];
        var iv = prot.Items[2].Items![1].Atom!;
        var data = prot.Items[3].Atom!;
        var salt = s2k.Items![1].Atom!;
        var count = long.Parse(s2k.Items[2].Text!, System.Globalization.CultureInfo.InvariantCulture);
        if (count < 256) count = (16L + (count & 15)) << (int)((count >> 4) + 6); // old agents stored the OpenPGP coded count
        var key = SessionKeyPackets.IteratedSaltedS2K(Encoding.UTF8.GetBytes(passphrase), salt, count, mode == "openpgp-s2k3-sha1-aes256-cbc" ? 32 : 16);
        byte[] plain;
        try
        {
            plain = mode switch
            {
                "openpgp-s2k3-ocb-aes" => DecryptOcb(key, iv, data),
                "openpgp-s2k3-sha1-aes-cbc" or "openpgp-s2k3-sha1-aes256-cbc" => DecryptCbc(key, iv, data),
                _ => throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: unsupported key protection '{mode}'"),
            };
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
        {
            throw new WrongPassphraseException($"secret key {keyId}", e);
        }
        SExpression parsed;
        try
        {
            parsed = SExpression.Parse(plain);
        }
        catch (DuplicityException e)
        {
            throw new WrongPassphraseException($"secret key {keyId}", e);
        }
        // ((params...)) for OCB, ((params...)(hash sha1 ...)) for CBC
        var list = parsed.Items is { Count: > 0 } && parsed.Items[0].IsList ? parsed.Items[0] : parsed;
        var all = new List<SExpression>(_algorithm.Items!.Where(i => i.Name is not ("protected" or "protected-at")));
        all.AddRange(list.Items!.Where(i => i.IsList));
        return SExpression.List(all);
    }

    /// <summary>OCB's associated data is the canonical algorithm list with its (protected ...) element cut out.</summary>
    private byte[] DecryptOcb(byte[] key, byte[] nonce, byte[] data)
    {
        var aad = SExpression.List(_algorithm.Items!.Where(i => i.Name != "protected").ToList()).ToCanonical();
        var ocb = new OcbBlockCipher(new AesEngine(), new AesEngine());
        ocb.Init(false, new AeadParameters(new KeyParameter(key), 128, nonce, null));
        ocb.ProcessAadBytes(aad, 0, aad.Length);
        var output = new byte[ocb.GetOutputSize(data.Length)];
        var n = ocb.ProcessBytes(data, 0, data.Length, output, 0);
        n += ocb.DoFinal(output, n);
        return output[..n];
    }

    private static byte[] DecryptCbc(byte[] key, byte[] iv, byte[] data)
    {
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        return aes.DecryptCbc(data, iv, System.Security.Cryptography.PaddingMode.None);
    }
}
