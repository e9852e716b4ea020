namespace Duplicity.Crypto;

/// <summary>What the signature of a decrypted message said, known once its plaintext was read to the end.</summary>
/// <param name="IsSigned">A signature was present.</param>
/// <param name="IsValid">It was made by a known key and matches the data (gpg's GOODSIG).</param>
/// <param name="KeyId">The signing key's id (16 upper-case hex digits), or null when unsigned.</param>
internal sealed record SignatureCheck(bool IsSigned, bool IsValid, string? KeyId)
{
    /// <summary>A message without signature.</summary>
#pragma warning disable CA1720 // Public API since 0.1 ("unsigned" as in "no signature", not the type); a rename is out of scope.
    public static SignatureCheck Unsigned { get; } = new(false, false, null);
#pragma warning restore CA1720
}
