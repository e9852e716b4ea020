using System.Text;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Repository;
using Duplicity.Sessions.Restore;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions;

/// <summary>
/// Restores a backup (the whole tree or one path, at a time) from a backend into a local folder.
/// Nothing is ever written outside the target, and a file is visible under its final name only when
/// it is complete.
/// </summary>
public sealed class RestoreSession
{
    private readonly BackupRepository _repository;
    private readonly RestoreOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read or written until <see cref="RunAsync"/>.</summary>
    /// <param name="repository">The open repository to restore from (its decryption and archive dir apply).</param>
    /// <param name="options">What to restore, where, and as of when.</param>
    public RestoreSession(BackupRepository repository, RestoreOptions options)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = repository.CreateLogger<RestoreSession>();
    }

    /// <summary>Runs the restore.</summary>
    /// <exception cref="DuplicityException">Target not empty (11), path not found (19), nothing restored (20), hash mismatch (21), ...</exception>
    /// <exception cref="OutOfSpaceException">A local disk (archive dir, temporary folder, target) filled up (code 35).</exception>
    /// <exception cref="LocalAccessException">A local folder cannot be created, entered or written (code 23).</exception>
    /// <exception cref="UnsafeTargetException">The target is a symbolic link (or not a directory where a tree goes).</exception>
    /// <exception cref="ArchiveCorruptException">The archive is malformed or hostile: names out of order or repeated, entries below a non-directory, ...</exception>
    public async Task<RestoreResult> RunAsync(IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCoreAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (LocalFaults.Translate(e, "Restore") is { } typed)
        {
            throw typed;
        }
    }

    private async Task<RestoreResult> RunCoreAsync(IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _options.Validate();
        var targetBytes = Encoding.UTF8.GetBytes(_options.Target);
        var layer = FileLayer.Current;
        if (!_options.Force && layer.TryLstat(targetBytes, out var st) && !(st.IsDirectory && layer.ReadDirectory(targetBytes).Count == 0))
            throw new DuplicityException(DuplicityErrorCode.RestoreDirExists,
                $"Restore destination directory {_options.Target} already exists.\nWill not overwrite.");

        long time = (_options.Time ?? _repository.TimeProvider.GetUtcNow()).ToUnixTimeSeconds();
        var prefix = _options.Path == null ? IndexPath.Root : IndexPath.Parse(_options.Path);
        var temp = _repository.CreateTempDirectory(_logger);
        var tempRoot = temp.Path;
        try
        {
            var source = await ChainSource.OpenAsync(_repository, time, prefix, tempRoot, _logger, _options.DryRun, cancellationToken,
                skipBadVolumes: _options.IgnoreErrors).ConfigureAwait(false);
            await using var sourceDisposal = source.ConfigureAwait(false);
            if (_options.DryRun)
            {
                RestoreLog.RequiredVolumes(_logger, source.RequiredVolumeNames);
                return new RestoreResult { ObjectsRestored = 0, BytesRestored = 0, BackupTime = source.Sets[^1].EndTime, VolumesRead = 0 };
            }
            var renames = _options.Renames is { Count: > 0 } r ? new PathRenames(r) : null;
            using var writer = layer.CreateRestoreWriter(targetBytes, new RestoreWriterPolicy
            {
                Ownership = _options.Ownership switch
                {
                    OwnershipRestore.Numeric => RestoreOwnershipMode.Numeric,
                    OwnershipRestore.None => RestoreOwnershipMode.Skip,
                    _ => RestoreOwnershipMode.ByName,
                },
                // Only --file-to-restore may turn the target into a file, link, pipe or device.
                AllowSingleObject = _options.Path != null,
                AllowSetIdBits = _options.AllowSetIdBits,
                AllowDeviceFiles = _options.AllowDeviceFiles,
                Reordered = renames != null,
                IgnoreMetadataErrors = _options.IgnoreErrors,
            }, _logger);
            long objects = 0, bytes = 0;
            var incomplete = new List<string>();
            // With renames the writer sees paths out of order, so the archive's own order is checked here.
            var archiveOrder = renames != null ? new RestoreEntryOrder() : null;
            await new ChainReader(source.Readers, prefix, tempRoot, _logger).RunAsync(async (archived, meta, content, ct) =>
            {
                archiveOrder?.Admit(archived, meta.Type);
                var relative = renames?.Apply(archived) ?? archived;
                switch (meta.Type)
                {
                    case FileEntryType.Directory:
                        writer.WriteDirectory(relative, meta);
                        break;
                    case FileEntryType.Regular:
                        using (var file = writer.OpenRegularFileForWrite(relative, meta))
                        {
                            long length = await content!.CopyToAsync(file.Stream, ct).ConfigureAwait(false);
                            if (content.Incomplete && _options.IgnoreErrors)
                            {
                                // Part of it was in a left-out volume: never shown under its name as if whole.
                                incomplete.Add(relative.ToString());
                                RestoreLog.FileIncomplete(_logger, relative);
                                return;
                            }
                            bytes += length;
                            file.Commit(meta);
                        }
                        break;
                    case FileEntryType.Symlink:
                        if (!writer.WriteSymlink(relative, meta)) return;
                        break;
                    case FileEntryType.Fifo:
                        if (!writer.WriteFifo(relative, meta)) return;
                        break;
                    default:
                        if (!writer.WriteDevice(relative, meta)) return;
                        break;
                }
                objects++;
                RestoreLog.Writing(_logger, relative, meta.Type);
                progress?.Report(new TransferProgress { BytesProcessed = bytes, FilesProcessed = objects, CurrentPath = relative.ToString(), VolumesDone = source.VolumesDownloaded });
            }, cancellationToken).ConfigureAwait(false);
            writer.Complete();
            if (objects == 0)
            {
                if (_options.Path != null)
                    throw new DuplicityException(DuplicityErrorCode.RestorePathNotFound, $"{_options.Path} not found in archive - no files restored.");
                throw new DuplicityException(DuplicityErrorCode.NoRestoreFiles, "No files found in archive - nothing restored.");
            }
            return new RestoreResult
            {
                ObjectsRestored = objects,
                BytesRestored = bytes,
                BackupTime = source.Sets[^1].EndTime,
                VolumesRead = source.VolumesDownloaded,
                SetIdBitsDropped = writer.SetIdBitsDropped,
                DeviceFilesSkipped = writer.DeviceFilesSkipped,
                SkippedVolumes = source.SkippedVolumes,
                IncompleteFiles = incomplete,
                MetadataErrorsIgnored = writer.MetadataErrorsIgnored,
            };
        }
        finally
        {
            temp.Dispose();
        }
    }
}
