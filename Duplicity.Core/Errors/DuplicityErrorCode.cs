namespace Duplicity;

/// <summary>
/// duplicity's numeric error codes. A failed run of the duplicity command exits with the code of its
/// fatal error, so scripts written for duplicity see the same numbers from this library's console.
/// </summary>
public enum DuplicityErrorCode
{
    /// <summary>Success (no error).</summary>
    None = 0,
    /// <summary>Generic error; also returned by verify when differences were found.</summary>
    Generic = 1,
    /// <summary>Command-line error.</summary>
    CommandLine = 2,
    /// <summary>The host name changed since the last backup.</summary>
    HostnameMismatch = 3,
    /// <summary>No manifests found for the most recent backup; also an interrupted run.</summary>
    NoManifests = 4,
    /// <summary>The remote manifest differs from the local one.</summary>
    ManifestMismatch = 5,
    /// <summary>Neither the remote nor the local manifest is readable.</summary>
    UnreadableManifests = 6,
    /// <summary>A filelist could not be opened.</summary>
    CannotOpenFilelist = 7,
    /// <summary>A backend URL could not be parsed.</summary>
    BadUrl = 8,
    /// <summary>The archive dir is not a directory.</summary>
    ArchiveDirNotDirectory = 9,
    /// <summary>A key id is not valid.</summary>
    BadKeyId = 10,
    /// <summary>The restore target exists and is not empty.</summary>
    RestoreDirExists = 11,
    /// <summary>The directory to verify against does not exist.</summary>
    VerifyDirMissing = 12,
    /// <summary>The backup source does not exist.</summary>
    BackupDirMissing = 13,
    /// <summary>A selection pattern cannot match anything under the source.</summary>
    FilePrefixError = 14,
    /// <summary>A glob pattern is malformed.</summary>
    GlobbingError = 15,
    /// <summary>The last selection option only includes files.</summary>
    RedundantInclusion = 16,
    /// <summary>An incremental backup was demanded but no signatures exist.</summary>
    NotImplementedIncremental = 17,
    /// <summary>No signatures were found.</summary>
    NoSignatures = 18,
    /// <summary>The path given to restore is not in the backup.</summary>
    RestorePathNotFound = 19,
    /// <summary>Nothing was restored.</summary>
    NoRestoreFiles = 20,
    /// <summary>A volume's SHA-1 does not match the manifest.</summary>
    MismatchedHash = 21,
    /// <summary>A volume was not signed by the expected key.</summary>
    UnsignedVolume = 22,
    /// <summary>User error (a backend error shown without trace, a held lock, ...).</summary>
    UserError = 23,
    /// <summary>An unexpected exception.</summary>
    Unexpected = 30,
    /// <summary>OpenPGP processing failed (wrong passphrase, missing key, ...).</summary>
    GpgFailed = 31,
    /// <summary>Not implemented.</summary>
    NotImplemented = 33,
    /// <summary>Cannot determine the free temporary space.</summary>
    GetFreeSpaceFailed = 34,
    /// <summary>Not enough temporary space.</summary>
    NotEnoughFreeSpace = 35,
    /// <summary>Cannot read the open-files limit.</summary>
    GetUlimitFailed = 36,
    /// <summary>The open-files limit is too low.</summary>
    MaxOpenFilesTooLow = 37,
    /// <summary>Connecting to the backend failed.</summary>
    ConnectionFailed = 38,
    /// <summary>Restart: a file of the partial set is not found.</summary>
    RestartFileNotFound = 39,
    /// <summary>The source directory changed since the last backup.</summary>
    SourceDirMismatch = 42,
    /// <summary>An uploaded volume has the wrong size.</summary>
    VolumeWrongSize = 44,
    /// <summary>Resuming with different encryption settings.</summary>
    EncryptionMismatch = 45,
    /// <summary>A backend gave up after its retries.</summary>
    BackendGaveUp = 50,
    /// <summary>The backend denied permission.</summary>
    BackendPermissionDenied = 51,
    /// <summary>The backend did not find a file.</summary>
    BackendNotFound = 52,
    /// <summary>The backend has no space left.</summary>
    BackendNoSpace = 53,
    /// <summary>A backend command failed.</summary>
    BackendCommandError = 54,
    /// <summary>A backend code error.</summary>
    BackendCodeError = 55,
}
