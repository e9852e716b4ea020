namespace Duplicity.Backends.Swift;

/// <summary>An authenticated account: its storage URL (<c>.../v1/AUTH_x</c>) and the token for it.</summary>
/// <param name="StorageUrl">The account URL, without a trailing slash.</param>
/// <param name="Token">The <c>X-Auth-Token</c> value. Never log it.</param>
internal sealed record SwiftSession(Uri StorageUrl, string Token)
{
    /// <summary>Never print the token.</summary>
    public override string ToString() => $"SwiftSession {{ StorageUrl = {StorageUrl} }}";
}
