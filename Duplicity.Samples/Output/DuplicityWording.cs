using Duplicity.Archive.Naming;
using Duplicity.Diagnostics;
using Ids = Duplicity.Diagnostics.DuplicityEventIds;

namespace Duplicity.Samples.Output;

/// <summary>
/// The console's words for the SDK's log events: duplicity's exact text (or, where duplicity has
/// none, the console's established one), rendered from the event id and its named values. The
/// SDK's own message text is never used for these, so rewording it changes nothing here.
/// </summary>
internal static class DuplicityWording
{
    /// <summary>The console line for an SDK event; null for an id this table does not know.</summary>
    public static string? Render(int eventId, EventValues v) => eventId switch
    {
        Ids.BackupLastFullBackupDate or Ids.RestoreLastFullBackupDate or Ids.ListLastFullBackupDate =>
            "Last full backup date: " + DateOrNone((v["LastFullBackupTime"] as DateTimeOffset?)?.ToUnixTimeSeconds()),
        Ids.ListNoFullBackup => "Last full backup date: none",
        Ids.BackupSwitchingToFull => "No signatures found, switching to full backup.",
        Ids.BackupForcingFull => "Last full backup is too old, forcing full backup",
        Ids.BackupVolumeUploaded => $"Uploaded {v.Text("Name")} ({v.Text("Size")} bytes)",
        Ids.BackupSourceProblem => $"{v.Text("Kind")}: {v.Text("Path")} (errno {v.Text("Errno")})",
        Ids.BackupFileAdded => "A " + v.Text("Path"),
        Ids.BackupFileChanged => "M " + v.Text("Path"),
        Ids.BackupFileDeleted => "D " + v.Text("Path"),
        Ids.BackupFileChangedWhileReading => $"Skipping {v.Text("Path")}: it changed while being backed up ({v.Text("Error")})",
        Ids.BackupFileLocked => $"Error accessing possibly locked file {v.Text("Path")}: {v.Text("Error")}",
        Ids.BackupResumingPartialSet => $"Last {((v["Full"] as bool?) == true ? "full" : "inc")} backup left a partial set, restarting.",
        Ids.BackupRestartingAfterVolume => $"Restarting after volume {v.Text("Volume")}, file {v.Text("Path")}, block {v.Text("Block")}",
        Ids.BackupVolumesNotStored =>
            $"RESTART: Volumes {v.Text("FirstVolume")} to {v.Text("LastVolume")} failed to upload before termination.\n         Restarting backup at volume {v.Text("FirstVolume")}.",
        Ids.BackupPartialSetDiscarded => (v["StoredVolumes"] as int?) is null or 0 or 1
            ? "RESTART: The first volume failed to upload before termination.\n         Restart is impossible...starting backup from beginning."
            : $"RESTART: Impossible backup state: manifest has {v.Text("ManifestVolumes")} vols, remote has {v.Text("StoredVolumes")} vols.\n         Restart is impossible ... duplicity will clean off the last partial\n         backup then restart the backup from the beginning.",
        Ids.BackupRestartEntryMissing => (v["SourceEnded"] as bool?) == true
            ? $"File {v.Text("Path")} missing in backup set.\nContinuing restart on file {v.Text("Path")}."
            : $"File {v.Text("Path")} complete in backup set.\nContinuing restart on file {v.Text("Path")}.",
        Ids.BackupResumeSourceChanged =>
            $"RESTART: {v.Text("Path")} changed since the interrupted backup stored it.\n         Restart is impossible ... the partial backup is deleted and the backup starts from the beginning.",
        Ids.BackupUncommittedSignaturesDeleted => "Deleting signature files of backup sets without manifest:\n" + string.Join("\n", v.Items("Names")),
        Ids.BackupSeekIndexNotWritten => $"Could not write the seek index of the backup set ({v.Text("Reason")}); single-file restores will read whole volumes.",

        Ids.RestoreVolumeWithoutHash => $"The manifest has no hash for {v.Text("Volume")}: it cannot be verified before use.",
        Ids.RestoreRequiredVolumes => "Required volumes to restore:\n\t" + string.Join("\n\t", v.Items("Volumes")),
        Ids.RestoreWriting => $"Writing {v.Text("Path")} of type {v.Text("Type")}",
        Ids.RestoreDeltaWithoutSnapshot => $"Cannot restore {v.Text("Path")}: its history starts with a delta and has no snapshot.",
        Ids.RestoreDeltaOnNonRegularFile => $"Cannot restore {v.Text("Path")}: a delta applies to an object that is not a regular file.",
        Ids.RestoreDeviceSkipped => $"Not restoring device {v.Text("Path")}: {v.Text("Reason")}.",
        Ids.RestoreSetIdBitsDropped => $"Not restoring the set-uid/set-gid bits of {v.Text("Path")}: {v.Text("Reason")}.",
        Ids.RestoreSpecialFileSkipped => $"Not restoring {v.Text("Path")}: {v.Text("Reason")}.",
        // duplicity logs the mismatch as an error, then the warning that it is ignored: both lines, in its words.
        Ids.RestoreVolumeSkipped =>
            $"Invalid data - SHA1 hash mismatch for file:\n {v.Text("Volume")}\n Calculated hash: {v.Text("CalculatedHash")}\n Manifest hash: {v.Text("ManifestHash")}\n\n"
            + $"IGNORED_ERROR: Warning: ignoring error as requested: BadVolumeException: Hash mismatch for: {v.Text("Volume")}",
        // duplicity writes such a file with the part it has; this console leaves it out and says so.
        Ids.RestoreFileIncomplete => $"Not restoring {v.Text("Path")}: part of its data was in a volume left out (ignored error).",
        Ids.RestoreMetadataErrorIgnored => $"IGNORED_ERROR: Warning: ignoring error as requested: OSError: {v.Text("Error")}",
        Ids.RestoreSeekPointUsed => $"Reading {v.Text("Volume")} from offset {v.Text("Offset")}, at {v.Text("Path")}",
        Ids.RestoreSeekPointRejected => $"The local seek index does not match {v.Text("Volume")}; reading it from its start.",

        Ids.CryptoGnuPGStarted => $"Running {v.Text("Binary")} to {v.Text("Operation")} (pid {v.Text("ProcessId")})",
        Ids.CryptoGnuPGExited => $"{v.Text("Binary")} {v.Text("Operation")} exited with code {v.Text("ExitCode")}",

        Ids.CacheSynchronized => "Local and Remote metadata are synchronized, no sync needed.",
        Ids.CacheSyncWouldCopy => "Sync would copy the following from remote to local:\n" + string.Join("\n", v.Items("Names")),
        Ids.CacheSyncWouldRemove => "Sync would remove the following spurious local files:\n" + string.Join("\n", v.Items("Names")),
        Ids.CacheSynchronizing => "Synchronizing remote metadata to local cache...",
        Ids.CacheDeletingLocal => $"Deleting local {v.Text("Path")} (not authoritative at backend).",
        Ids.CacheCopying => $"Copying {v.Text("Name")} to local cache.",
        Ids.StaleTempRemoved => $"Removed temporary folder {v.Text("Path")} left by process {v.Text("Pid")}",
        Ids.StaleTempNotRemoved => $"Could not remove stale temporary folder {v.Text("Path")}: {v.Text("Error")}",

        Ids.BackendRetriesExhausted =>
            $"Giving up on {v.Text("Operation")} on {v.Text("Backend")} after {v.Text("Attempts")} attempts. {v.Text("Error")}",
        Ids.BackendAttemptFailed =>
            $"Attempt of {v.Text("Operation")} Nr. {v.Text("Attempt")} failed on {v.Text("Backend")}. {v.Text("Error")} Retrying in {v.Text("Delay")}.",

        // Backends' own diagnostics: duplicity has no words for these; the console's are as plain.
        Ids.BackendOpened => $"Opened the {v.Text("Scheme")} backend {v.Text("Backend")}",
        Ids.S3ClientCreated => $"S3 client for bucket {v.Text("Bucket")} at {v.Text("Endpoint")} (path-style addressing {v.Text("PathStyle")}, host HTTP handler {v.Text("HostHandler")})",
        Ids.S3MultipartStarted => $"Multipart upload of {v.Text("File")} to bucket {v.Text("Bucket")} started, parts of {v.Text("PartSize")} bytes",
        Ids.S3MultipartCompleted => $"Multipart upload of {v.Text("File")} completed in {v.Text("Parts")} parts",
        Ids.S3MultipartAborted => $"Multipart upload of {v.Text("File")} failed after {v.Text("Parts")} parts and is aborted",
        Ids.S3BatchDeleteRefused => $"The server refuses batch deletes in bucket {v.Text("Bucket")}; deleting one object at a time",
        Ids.SwiftAuthenticating => $"Authenticating to {v.Text("AuthUrl")} (auth version {v.Text("Version")}) as {v.Text("User")}",
        Ids.SwiftAuthenticated => $"Authenticated; storage endpoint {v.Text("StorageUrl")}",
        Ids.SwiftPreAuthenticated => $"Using the pre-authenticated storage endpoint {v.Text("StorageUrl")}",
        Ids.SwiftTokenRefused => $"Swift refused the token for the {v.Text("Operation")}; authenticating again",
        Ids.SwiftContainerCreated => $"Created the container {v.Text("Container")} (storage policy {v.Text("Policy")})",
        Ids.SwiftLargeObjectStarted => $"Uploading {v.Text("File")} as a Static Large Object in segments of {v.Text("SegmentSize")} bytes",
        Ids.SwiftLargeObjectCompleted => $"Stored {v.Text("File")} as a Static Large Object of {v.Text("Segments")} segments",
        Ids.SwiftLargeObjectAborted => $"The upload of {v.Text("File")} failed; deleting its {v.Text("Segments")} stored segments",
        Ids.SshConnecting => $"Connecting to SSH server {v.Text("Host")}:{v.Text("Port")} as {v.Text("User")}",
        Ids.SshConnected => $"Connected to SSH server {v.Text("Host")}:{v.Text("Port")}, host key {v.Text("HostKey")}",
        Ids.SshReconnecting => $"The SSH connection to {v.Text("Host")}:{v.Text("Port")} was lost; reconnecting",
        Ids.SshFolderCreated => $"Created the remote folder {v.Text("Folder")}",
        Ids.WebDavOpened => $"Using WebDAV server {v.Text("Server")}, folder {v.Text("Folder")}, as {v.Text("User")}",
        Ids.WebDavAuthenticating => $"The WebDAV server asks for {v.Text("Scheme")} authentication; answering as {v.Text("User")}",
        Ids.WebDavFolderCreated => $"Created the WebDAV folder {v.Text("Folder")}",
        Ids.WebDavListingNextPage => $"The WebDAV listing continues on page {v.Text("Page")}",
        Ids.WebDavTemporaryUploadRemoved => $"The upload of {v.Text("File")} failed; removed its temporary file {v.Text("TemporaryName")}",
        Ids.AzureClientCreated => $"Azure client for container {v.Text("Container")} at {v.Text("Endpoint")} ({v.Text("Credential")})",
        Ids.AzureContainerCreated => $"Created the Azure container {v.Text("Container")}",
        Ids.AzureBlockUploadStarted => $"Uploading {v.Text("File")} to container {v.Text("Container")} in blocks of {v.Text("BlockSize")} bytes",
        Ids.AzureBlockUploadCommitted => $"Committed {v.Text("File")} from {v.Text("Blocks")} blocks",
        Ids.AzureBlockUploadAbandoned => $"The upload of {v.Text("File")} failed after {v.Text("Blocks")} blocks; they are never committed",
        Ids.RcloneStarting => $"Running rclone {v.Text("Command")} for the {v.Text("Operation")}",
        Ids.RcloneFinished => $"rclone {v.Text("Command")} exited with code {v.Text("ExitCode")}",
        Ids.RcloneTemporaryRemoved => $"Removed the temporary file {v.Text("Path")} of an upload that did not complete",
        Ids.RcloneTemporaryNotRemoved => $"Could not remove the temporary file {v.Text("Path")} of an upload that did not complete: {v.Text("Error")}",
        // duplicity's par2 lines; it formats the file names as Python bytes.
        Ids.Par2Creating => "Create Par2 recovery files",
        Ids.Par2RetryingWithOneVolume => "Failed to create par2 file with requested options, retrying with -n1",
        Ids.Par2CreateFailed => $"FAILED to create par2 file with returncode {v.Text("ExitCode")}",
        Ids.Par2Repairing => $"File is corrupt. Try to repair {PythonBytes.Repr(v.Text("Name"))}",
        Ids.Par2Repaired => $"Repair successful {PythonBytes.Repr(v.Text("Name"))}",
        Ids.Par2RepairFailed => $"Failed to repair {PythonBytes.Repr(v.Text("Name"))}",
        Ids.Par2IndexMissing => $"No par2 file for {v.Text("Name")}; using it unverified",
        Ids.FtpConnecting => $"Connecting to FTP server {v.Text("Host")}:{v.Text("Port")} (TLS: {v.Text("Security")}) as {v.Text("User")}",
        Ids.FtpConnected => $"Logged in to FTP server {v.Text("Host")}:{v.Text("Port")} (TLS protocol {v.Text("TlsProtocol")}); listing with {v.Text("Listing")}",
        Ids.FtpFolderCreated => $"Created the remote folder {v.Text("Folder")}",
        Ids.FtpPassiveFallback => $"The FTP server refused EPSV ({v.Text("Code")} {v.Text("Reply")}); using PASV",
        Ids.FtpReplacedByDelete => $"The FTP server does not rename over an existing file; deleted {v.Text("File")} first",
        Ids.FtpTemporaryFileLeft => $"Could not delete the temporary upload {v.Text("File")}: {v.Text("Reason")}",

        Ids.VerifyDifference => "Difference found: " + VerifyDifferenceText.Format(VerifyDifferenceText.FromEvent(v), TimeZoneInfo.Local),
        Ids.VerifySummary => VerifySummary(v.Text("FilesCompared"), v.Text("DifferenceCount")),
        Ids.ListNoChainForTime => "No signature chain for the requested time. Using oldest backup chain.",
        Ids.RetentionDeleted => $"Deleted {v.Text("Count")} files",
        Ids.ReplicateNoOldSets => "No old backup sets found.",
        Ids.ReplicateSignatureAlreadyThere => $"Signature {v.Text("Name")} already replicated",
        Ids.ReplicateFile => $"Replicating {PythonBytes.Repr(v.Text("Name"))}.",
        Ids.ReplicateSetAlreadyThere => $"Backupset {v.Text("Name")} already replicated",
        _ => null,
    };

    /// <summary>A time as duplicity prints it in its messages (local time), or "none".</summary>
    public static string DateOrNone(long? epochSeconds) =>
        epochSeconds is { } t ? DuplicityTime.Pretty(t, TimeZoneInfo.Local) : "none";

    // duplicity picks singular or plural by the number.
    private static string VerifySummary(string files, string differences) =>
        $"Verify complete: {files} {(files == "1" ? "file" : "files")} compared, {differences} {(differences == "1" ? "difference" : "differences")} found.";
}
