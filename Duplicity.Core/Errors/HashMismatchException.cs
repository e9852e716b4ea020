namespace Duplicity;

/// <summary>A downloaded volume's SHA-1 differs from its manifest entry (duplicity's error 21).</summary>
public sealed class HashMismatchException : ArchiveCorruptException
{
    /// <summary>Creates the error for one volume.</summary>
    public HashMismatchException(string fileName, string calculated, string expected)
        : base($"Invalid data - SHA1 hash mismatch for file:\n {fileName}\n Calculated hash: {calculated}\n Manifest hash: {expected}",
            null, DuplicityErrorCode.MismatchedHash)
    {
        FileName = fileName;
    }

    /// <summary>The volume's file name on the backend.</summary>
    public string FileName { get; }
}
