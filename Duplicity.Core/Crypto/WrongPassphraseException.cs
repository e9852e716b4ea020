namespace Duplicity.Crypto;

/// <summary>
/// A passphrase did not unlock a symmetric message or a secret key (duplicity: gpg failed, code 31).
/// The message never contains the passphrase.
/// </summary>
public sealed class WrongPassphraseException : DuplicityException
{
    /// <summary>Creates the error; <paramref name="what"/> says what could not be unlocked (no secrets).</summary>
    public WrongPassphraseException(string what, Exception? innerException = null)
        : base(DuplicityErrorCode.GpgFailed, $"GPG error: bad passphrase for {what}", innerException)
    {
    }
}
