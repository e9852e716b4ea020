namespace Duplicity.Crypto;

/// <summary>What a passphrase is asked for.</summary>
public enum PassphrasePurpose
{
    /// <summary>The passphrase of a symmetric (passphrase-only) message, to encrypt or decrypt.</summary>
    Symmetric,
    /// <summary>The passphrase protecting a secret key used to decrypt.</summary>
    DecryptionKey,
    /// <summary>The passphrase protecting the secret key used to sign.</summary>
    SigningKey,
}

/// <summary>One request for a passphrase; <see cref="KeyId"/> names the secret key (16 hex digits) when there is one.</summary>
/// <param name="Purpose">What the passphrase unlocks.</param>
/// <param name="KeyId">The key id in upper-case hex, or null for a symmetric message.</param>
public readonly record struct PassphraseRequest(PassphrasePurpose Purpose, string? KeyId);

/// <summary>
/// Where passphrases come from; the host decides (environment, prompt, vault). Implementations must
/// never log what they return.
/// </summary>
public interface IPassphraseSource
{
    /// <summary>Returns the passphrase for <paramref name="request"/>.</summary>
    ValueTask<string> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken);
}

/// <summary>A passphrase source that answers every request with one fixed string (duplicity's PASSPHRASE).</summary>
public sealed class FixedPassphraseSource : IPassphraseSource
{
    private readonly string _passphrase;

    /// <summary>Uses <paramref name="passphrase"/> for every request.</summary>
    public FixedPassphraseSource(string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        _passphrase = passphrase;
    }

    /// <inheritdoc/>
    public ValueTask<string> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_passphrase);

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => "FixedPassphraseSource(***)";
}

/// <summary>A passphrase source backed by a delegate.</summary>
public sealed class DelegatePassphraseSource(Func<PassphraseRequest, CancellationToken, ValueTask<string>> get) : IPassphraseSource
{
    /// <inheritdoc/>
    public ValueTask<string> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken) =>
        get(request, cancellationToken);
}
