using System.Globalization;

namespace Duplicity.Crypto;

/// <summary>
/// A key named the way duplicity accepts it: 8 hex digits (short id), 16 (long id) or 40 (v4
/// fingerprint), optionally prefixed by <c>0x</c>.
/// </summary>
public sealed class KeyIdentifier
{
    private KeyIdentifier(string hex) => Hex = hex;

    /// <summary>The digits in upper case, without <c>0x</c>.</summary>
    public string Hex { get; }

    /// <summary>Parses an id; anything else is duplicity's "bad key id" error (code 10).</summary>
    public static KeyIdentifier Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        if ((s.Length is not (8 or 16 or 40)) || !s.All(Uri.IsHexDigit))
            throw new DuplicityException(DuplicityErrorCode.BadKeyId,
                $"Bad key id '{text}': give 8, 16 or 40 hexadecimal digits (optionally with 0x)");
        return new KeyIdentifier(s.ToUpperInvariant());
    }

    /// <summary>True when a key with this 64-bit id and v4 fingerprint is the one named.</summary>
    public bool Matches(long keyId, byte[] fingerprint) => Hex.Length switch
    {
        8 => ((ulong)keyId & 0xFFFFFFFF) == ulong.Parse(Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        16 => (ulong)keyId == ulong.Parse(Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        _ => Convert.ToHexString(fingerprint) == Hex,
    };

    /// <inheritdoc/>
    public override string ToString() => Hex;
}
