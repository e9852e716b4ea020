namespace Duplicity.Crypto;

/// <summary>
/// An OpenPGP message carries no integrity check (a legacy tag-9 packet instead of SEIPD with MDC),
/// so a modification could not be detected; refused unless
/// <see cref="DecryptionOptions.AllowLegacyUnprotectedData"/> is set (duplicity: gpg failed, code 31).
/// </summary>
public sealed class UnprotectedDataException : ArchiveCorruptException
{
    /// <summary>Creates the error.</summary>
    public UnprotectedDataException()
        : base("GPG error: the message is not integrity protected (no MDC); set AllowLegacyUnprotectedData to read a legacy archive",
            null, DuplicityErrorCode.GpgFailed)
    {
    }
}
