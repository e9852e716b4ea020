namespace Duplicity.Diagnostics;

/// <summary>
/// The event ids of every message the SDK logs, grouped by area: 1000s backup, 2000s restore,
/// 3000s cache and collections, 4000s crypto, 5000s backends, 6000s verify, list, retention and
/// replicate. Each message states a fact in plain English; its values (named under each id) are
/// the contract: filter, route or render your own words from the id and the values, never from
/// the message text, which may be reworded. An id, once shipped, keeps its meaning; new messages
/// take new ids, and a retired id is not reused.
/// </summary>
public static class DuplicityEventIds
{
    // ----- 1000s: backup -----

    /// <summary>Information: when the last full backup ended, before a backup starts. Values: LastFullBackupTime (<see cref="System.DateTimeOffset"/>?, null when there is none).</summary>
    public const int BackupLastFullBackupDate = 1001;

    /// <summary>Information: a backup found no signatures and runs as a full backup.</summary>
    public const int BackupSwitchingToFull = 1002;

    /// <summary>Information: the last full backup is older than the full-if-older-than limit; a full backup runs.</summary>
    public const int BackupForcingFull = 1003;

    /// <summary>Debug: a volume was uploaded. Values: Name (string), Size (long, stored bytes).</summary>
    public const int BackupVolumeUploaded = 1004;

    /// <summary>Warning: the source walk skipped or could not read an entry. Values: Kind (<see cref="Duplicity.Selection.SourceWalkProblemKind"/>), Path (<see cref="Duplicity.Files.IndexPath"/>), Errno (int).</summary>
    public const int BackupSourceProblem = 1005;

    /// <summary>Debug: a new file enters the backup. Values: Path (<see cref="Duplicity.Files.IndexPath"/>).</summary>
    public const int BackupFileAdded = 1006;

    /// <summary>Debug: a changed file enters the backup. Values: Path (<see cref="Duplicity.Files.IndexPath"/>).</summary>
    public const int BackupFileChanged = 1007;

    /// <summary>Debug: a file was deleted since the previous backup. Values: Path (<see cref="Duplicity.Files.IndexPath"/>).</summary>
    public const int BackupFileDeleted = 1008;

    /// <summary>Warning: a file changed while it was read and is skipped. Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Error (string).</summary>
    public const int BackupFileChangedWhileReading = 1009;

    /// <summary>Warning: a file could not be opened (possibly locked) and is skipped. Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Error (string).</summary>
    public const int BackupFileLocked = 1010;

    /// <summary>Information: the last backup left a partial set, which this run resumes. Values: Full (bool), Time (<see cref="System.DateTimeOffset"/>, the set's time).</summary>
    public const int BackupResumingPartialSet = 1011;

    /// <summary>Information: a resumed set continues after a stored volume. Values: Volume (int), Path (<see cref="Duplicity.Files.IndexPath"/>), Block (int, 0 for a whole file).</summary>
    public const int BackupRestartingAfterVolume = 1012;

    /// <summary>Information: volumes listed in the partial manifest did not reach the backend and are written again. Values: FirstVolume (int), LastVolume (int).</summary>
    public const int BackupVolumesNotStored = 1013;

    /// <summary>Information: a partial set cannot be resumed (no volume of it was kept); its files are deleted and a new set starts. Values: ManifestVolumes (int), StoredVolumes (int).</summary>
    public const int BackupPartialSetDiscarded = 1014;

    /// <summary>Warning: the entry a resumed set continues after is no longer in the source. Values: Path (<see cref="Duplicity.Files.IndexPath"/>), SourceEnded (bool).</summary>
    public const int BackupRestartEntryMissing = 1015;

    /// <summary>Information: signature files stored for a set whose manifest never reached the backend are deleted, so the chain ends at its last complete set. Values: Names (a sequence of string).</summary>
    public const int BackupUncommittedSignaturesDeleted = 1016;

    /// <summary>Warning: the source changed before a partial set's resume position since the interrupted run stored it; the partial set is deleted and a new set is made. Values: Path (<see cref="Duplicity.Files.IndexPath"/>, the first entry found changed).</summary>
    public const int BackupResumeSourceChanged = 1017;

    /// <summary>Warning: the set is complete, but the seek index that lets later restores of single paths start inside its volumes could not be written to the archive dir; those restores read the volumes from their start. Values: Reason (string).</summary>
    public const int BackupSeekIndexNotWritten = 1018;

    // ----- 2000s: restore -----

    /// <summary>Information: when the last full backup ended, before a restore starts. Values: LastFullBackupTime (<see cref="System.DateTimeOffset"/>?, null when there is none).</summary>
    public const int RestoreLastFullBackupDate = 2001;

    /// <summary>Warning: a manifest lists a volume without hash, which therefore cannot be verified before use. Values: Volume (string).</summary>
    public const int RestoreVolumeWithoutHash = 2002;

    /// <summary>Information: a dry-run restore lists the volumes it would read. Values: Volumes (a sequence of string, in reading order).</summary>
    public const int RestoreRequiredVolumes = 2003;

    /// <summary>Debug: an object is written. Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Type (<see cref="Duplicity.Files.FileEntryType"/>).</summary>
    public const int RestoreWriting = 2004;

    /// <summary>Warning: a path's history starts with a delta and has no snapshot; it is not restored. Values: Path (<see cref="Duplicity.Files.IndexPath"/>).</summary>
    public const int RestoreDeltaWithoutSnapshot = 2005;

    /// <summary>Warning: a delta applies to an object that is not a regular file; the path is not restored. Values: Path (<see cref="Duplicity.Files.IndexPath"/>).</summary>
    public const int RestoreDeltaOnNonRegularFile = 2006;

    /// <summary>Warning: a device file is not restored (by policy, or not running as root). Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Reason (string).</summary>
    public const int RestoreDeviceSkipped = 2007;

    /// <summary>Warning: the set-uid/set-gid bits of a file are not restored. Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Reason (string).</summary>
    public const int RestoreSetIdBitsDropped = 2008;

    /// <summary>Warning: a named pipe or symbolic link is not restored because this platform's file layer cannot create it. Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Reason (string).</summary>
    public const int RestoreSpecialFileSkipped = 2009;

    /// <summary>Warning: a volume whose hash does not match the manifest is left out, as asked (<c>--ignore-errors</c>); the restore goes on with the next volume. Values: Volume (string), CalculatedHash (string), ManifestHash (string).</summary>
    public const int RestoreVolumeSkipped = 2010;

    /// <summary>Warning: a file is not restored because part of its content was in a left-out volume. Values: Path (<see cref="Duplicity.Files.IndexPath"/>).</summary>
    public const int RestoreFileIncomplete = 2011;

    /// <summary>Warning: setting an object's owner, permissions or mtime failed and is ignored, as asked (<c>--ignore-errors</c>). Values: Path (<see cref="Duplicity.Files.IndexPath"/>), Error (string).</summary>
    public const int RestoreMetadataErrorIgnored = 2012;

    /// <summary>Debug: reading of a volume begins at a point the archive dir's seek index gives, not at the volume's start. Values: Volume (string), Path (<see cref="Duplicity.Files.IndexPath"/>, the entry there), Offset (long, in the stored file).</summary>
    public const int RestoreSeekPointUsed = 2013;

    /// <summary>Warning: the archive dir's seek index gave a point inside a volume where the entry it names is not found; the volume is read from its start. Values: Volume (string).</summary>
    public const int RestoreSeekPointRejected = 2014;

    // ----- 3000s: cache and collections -----

    /// <summary>Information: the local cache already matches the backend.</summary>
    public const int CacheSynchronized = 3001;

    /// <summary>Information: a dry run lists the files a synchronization would copy into the cache. Values: Names (a sequence of string).</summary>
    public const int CacheSyncWouldCopy = 3002;

    /// <summary>Information: a dry run lists the cache files, absent from the backend, a synchronization would remove. Values: Names (a sequence of string).</summary>
    public const int CacheSyncWouldRemove = 3003;

    /// <summary>Information: the synchronization of the cache with the backend starts.</summary>
    public const int CacheSynchronizing = 3004;

    /// <summary>Information: a cache file the backend does not have is deleted. Values: Path (string, the file in the cache).</summary>
    public const int CacheDeletingLocal = 3005;

    /// <summary>Information: a file is copied from the backend into the cache. Values: Name (string).</summary>
    public const int CacheCopying = 3006;

    /// <summary>Debug: a temporary folder left by a dead process was removed. Values: Path (string), Pid (int).</summary>
    public const int StaleTempRemoved = 3007;

    /// <summary>Warning: a temporary folder left by a dead process could not be removed. Values: Path (string), Error (string).</summary>
    public const int StaleTempNotRemoved = 3008;

    // ----- 4000s: crypto -----

    /// <summary>Debug: the GnuPG engine started gpg for one file. Values: Binary (string), Operation (string: encrypt or decrypt), ProcessId (int). Arguments are not logged.</summary>
    public const int CryptoGnuPGStarted = 4001;

    /// <summary>Debug: a gpg run of the GnuPG engine ended. Values: Binary (string), Operation (string), ExitCode (int).</summary>
    public const int CryptoGnuPGExited = 4002;

    // ----- 5000s: backends (5000-5099 any backend and the retry decorator, 5100s S3, 5200s Swift, 5300s SSH, 5400s Azure, 5500s WebDAV, 5600s FTP, 5700s rclone, 5800s par2) -----
    // Backends log endpoints, hosts, users and names, never passwords, keys, tokens or signed URLs.

    /// <summary>Error: a backend operation failed on every attempt; the retries are exhausted. Values: Operation (string), Backend (string), Attempts (int), Error (string).</summary>
    public const int BackendRetriesExhausted = 5001;

    /// <summary>Warning: an attempt of a backend operation failed and is retried after a delay. Values: Operation (string), Attempt (int), Backend (string), Error (string), Delay (<see cref="System.TimeSpan"/>).</summary>
    public const int BackendAttemptFailed = 5002;

    /// <summary>Trace: <see cref="Backends.BackendRegistry"/> opened a backend (scheme and display name).</summary>
    public const int BackendOpened = 5003;

    /// <summary>Debug: an S3 backend built its client (bucket, endpoint or region, addressing style).</summary>
    public const int S3ClientCreated = 5101;

    /// <summary>Debug: a multipart upload started (file, bucket, part size).</summary>
    public const int S3MultipartStarted = 5102;

    /// <summary>Debug: a multipart upload completed (file, number of parts).</summary>
    public const int S3MultipartCompleted = 5103;

    /// <summary>Debug: a multipart upload failed or was cancelled and is aborted (file, parts started).</summary>
    public const int S3MultipartAborted = 5104;

    /// <summary>Debug: the server refuses batch deletes without Content-MD5; files are deleted one by one from now on.</summary>
    public const int S3BatchDeleteRefused = 5105;

    /// <summary>Debug: a Swift backend logs in to its identity service (auth URL, auth version, user).</summary>
    public const int SwiftAuthenticating = 5201;

    /// <summary>Debug: a Swift login succeeded (the storage endpoint it returned).</summary>
    public const int SwiftAuthenticated = 5202;

    /// <summary>Debug: a Swift backend uses the pre-authenticated storage URL and token (<c>SWIFT_PREAUTHURL</c>).</summary>
    public const int SwiftPreAuthenticated = 5203;

    /// <summary>Debug: Swift refused the token (401); the backend logs in again and repeats the request once.</summary>
    public const int SwiftTokenRefused = 5204;

    /// <summary>Debug: a container was missing and has been created (container, storage policy).</summary>
    public const int SwiftContainerCreated = 5205;

    /// <summary>Debug: a file is uploaded as a Static Large Object (file, segment size).</summary>
    public const int SwiftLargeObjectStarted = 5206;

    /// <summary>Debug: a Static Large Object's manifest was stored (file, number of segments).</summary>
    public const int SwiftLargeObjectCompleted = 5207;

    /// <summary>Debug: a Static Large Object upload failed; its stored segments are deleted (file, segments).</summary>
    public const int SwiftLargeObjectAborted = 5208;

    /// <summary>Debug: an SFTP backend connects (host, port, user).</summary>
    public const int SshConnecting = 5301;

    /// <summary>Debug: an SFTP connection is established (host, port, host-key fingerprint).</summary>
    public const int SshConnected = 5302;

    /// <summary>Debug: the SFTP connection was lost and is opened again for the next operation (host, port).</summary>
    public const int SshReconnecting = 5303;

    /// <summary>Debug: a missing remote folder was created (folder).</summary>
    public const int SshFolderCreated = 5304;

    /// <summary>Debug: a WebDAV backend is opened (server, folder, user; never the password).</summary>
    public const int WebDavOpened = 5501;

    /// <summary>Debug: the WebDAV server asked for authentication; the backend answers with the scheme it offered (Basic or Digest).</summary>
    public const int WebDavAuthenticating = 5502;

    /// <summary>Debug: a missing WebDAV folder was created with MKCOL (folder).</summary>
    public const int WebDavFolderCreated = 5503;

    /// <summary>Debug: a WebDAV listing continues on the next page the server linked to (page number).</summary>
    public const int WebDavListingNextPage = 5504;

    /// <summary>Debug: an upload failed after its temporary file was started; the temporary file is deleted (file, temporary name).</summary>
    public const int WebDavTemporaryUploadRemoved = 5505;
    /// <summary>Debug: an Azure backend built its client (container, blob service endpoint, kind of credential).</summary>
    public const int AzureClientCreated = 5401;

    /// <summary>Debug: the container was missing and has been created, as duplicity creates it (container).</summary>
    public const int AzureContainerCreated = 5402;

    /// <summary>Debug: a file is uploaded as blocks, committed together at the end (file, container, block size).</summary>
    public const int AzureBlockUploadStarted = 5403;

    /// <summary>Debug: a block upload was committed, so the blob is visible (file, number of blocks).</summary>
    public const int AzureBlockUploadCommitted = 5404;

    /// <summary>Debug: a block upload failed or was cancelled; its staged blocks are never committed (file, blocks staged).</summary>
    public const int AzureBlockUploadAbandoned = 5405;
    /// <summary>Debug: the rclone backend starts an rclone command. Values: Command (string), Operation (string).</summary>
    public const int RcloneStarting = 5701;

    /// <summary>Debug: an rclone command ended. Values: Command (string), ExitCode (int).</summary>
    public const int RcloneFinished = 5702;

    /// <summary>Debug: the temporary file of an upload that did not complete was removed. Values: Path (string).</summary>
    public const int RcloneTemporaryRemoved = 5703;

    /// <summary>Warning: the temporary file of an upload that did not complete could not be removed (listings hide it). Values: Path (string), Error (string).</summary>
    public const int RcloneTemporaryNotRemoved = 5704;

    /// <summary>Information: par2 recovery files are made for a file before it is stored. Values: Name (string).</summary>
    public const int Par2Creating = 5801;

    /// <summary>Warning: par2 failed with the requested number of recovery volumes; it is tried again with one. Values: Name (string), ExitCode (int).</summary>
    public const int Par2RetryingWithOneVolume = 5802;

    /// <summary>Error: no par2 recovery files could be made; the file is stored without them. Values: Name (string), ExitCode (int).</summary>
    public const int Par2CreateFailed = 5803;

    /// <summary>Warning: a downloaded file failed par2 verification; its recovery volumes are fetched to repair it. Values: Name (string).</summary>
    public const int Par2Repairing = 5804;

    /// <summary>Warning: a damaged file was repaired from its par2 recovery volumes. Values: Name (string).</summary>
    public const int Par2Repaired = 5805;

    /// <summary>Error: a damaged file could not be repaired; it is returned as downloaded. Values: Name (string), ExitCode (int).</summary>
    public const int Par2RepairFailed = 5806;

    /// <summary>Debug: a file has no par2 index file on the backend, so it is returned unverified. Values: Name (string).</summary>
    public const int Par2IndexMissing = 5807;
    /// <summary>Debug: an FTP backend connects (host, port, security, user).</summary>
    public const int FtpConnecting = 5601;

    /// <summary>Debug: an FTP login succeeded (host, port, TLS protocol, listing command).</summary>
    public const int FtpConnected = 5602;

    /// <summary>Debug: a missing remote folder was created (folder).</summary>
    public const int FtpFolderCreated = 5603;

    /// <summary>Debug: the server refused EPSV; passive connections use PASV from now on (reply).</summary>
    public const int FtpPassiveFallback = 5604;

    /// <summary>Debug: the server would not rename over an existing file, so the old one was deleted first (file).</summary>
    public const int FtpReplacedByDelete = 5605;

    /// <summary>Warning: a failed upload's temporary file could not be deleted (file, reason).</summary>
    public const int FtpTemporaryFileLeft = 5606;

    // ----- 6000s: verify, list, retention, replicate -----

    /// <summary>Information: verify found a difference between the backup and the local files. Values: Difference (string).</summary>
    public const int VerifyDifference = 6001;

    /// <summary>Information: verify's summary. Values: FilesCompared (long), DifferenceCount (int).</summary>
    public const int VerifySummary = 6002;

    /// <summary>Information: when the last full backup ended, before a listing. Values: LastFullBackupTime (<see cref="System.DateTimeOffset"/>).</summary>
    public const int ListLastFullBackupDate = 6101;

    /// <summary>Information: there is no full backup before a listing.</summary>
    public const int ListNoFullBackup = 6102;

    /// <summary>Warning: no signature chain covers the requested time; the oldest chain is listed.</summary>
    public const int ListNoChainForTime = 6103;

    /// <summary>Debug: how many files a retention plan deleted. Values: Count (int).</summary>
    public const int RetentionDeleted = 6201;

    // 6301 is retired (it was a notice about replicate; a host prints its own): not reused.

    /// <summary>Information: the source of a replicate has no backup sets.</summary>
    public const int ReplicateNoOldSets = 6302;

    /// <summary>Debug: a signature file is already on the target and is skipped. Values: Name (string).</summary>
    public const int ReplicateSignatureAlreadyThere = 6303;

    /// <summary>Information: a file is replicated. Values: Name (string).</summary>
    public const int ReplicateFile = 6304;

    /// <summary>Debug: a backup set is already on the target and is skipped. Values: Name (string?, its manifest).</summary>
    public const int ReplicateSetAlreadyThere = 6305;
}
