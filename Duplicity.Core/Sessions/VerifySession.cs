using System.Globalization;
using System.Text;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Repository;
using Duplicity.Selection;
using Duplicity.Sessions.Restore;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Sessions;

/// <summary>
/// Rebuilds a backup exactly as a restore would (downloading and hash-checking every needed volume,
/// applying deltas) and compares it with a local folder instead of writing it.
/// </summary>
public sealed class VerifySession
{
    private readonly BackupRepository _repository;
    private readonly VerifyOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read until <see cref="RunAsync"/>.</summary>
    /// <param name="repository">The open repository to verify.</param>
    /// <param name="options">The local folder to compare with, the time, and how deep to compare.</param>
    public VerifySession(BackupRepository repository, VerifyOptions options)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = repository.CreateLogger<VerifySession>();
    }

    /// <summary>Runs the verify; each difference is logged and returned.</summary>
    /// <exception cref="DuplicityException">The local folder is missing (code 12), a volume is corrupt (21), ...</exception>
    /// <exception cref="OutOfSpaceException">A local disk (archive dir, temporary folder, target) filled up (code 35).</exception>
    /// <exception cref="LocalAccessException">A local folder cannot be created, entered or written (code 23).</exception>
    public async Task<VerifyResult> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (LocalFaults.Translate(e, "Verify") is { } typed)
        {
            throw typed;
        }
    }

    private async Task<VerifyResult> RunCoreAsync(CancellationToken cancellationToken = default)
    {
        _options.Validate();
        var localBytes = Encoding.UTF8.GetBytes(_options.LocalPath);
        if (!FileLayer.Current.TryLstat(localBytes, out _))
            throw new DuplicityException(DuplicityErrorCode.VerifyDirMissing, $"Verify directory {_options.LocalPath} does not exist");
        var selection = _options.Selection?.Bind(_options.LocalPath);
        long time = (_options.Time ?? _repository.TimeProvider.GetUtcNow()).ToUnixTimeSeconds();
        var prefix = _options.Path == null ? IndexPath.Root : IndexPath.Parse(_options.Path);
        var temp = _repository.CreateTempDirectory(_logger);
        var tempRoot = temp.Path;
        var differences = new List<VerifyDifference>();
        long compared = 0;
        IReadOnlyList<string> skipped = [];
        try
        {
            var source = await ChainSource.OpenAsync(_repository, time, prefix, tempRoot, _logger, dryRun: false, cancellationToken,
                skipBadVolumes: _options.IgnoreErrors).ConfigureAwait(false);
            await using var sourceDisposal = source.ConfigureAwait(false);
            var renames = _options.Renames is { Count: > 0 } r ? new PathRenames(r) : null;
            // Renamed objects reach their local paths out of the archive's order, so the ordered walk cannot meet
            // them: the local objects under the TOs are found by a walk of their own first (only those are held).
            Dictionary<IndexPath, SourceEntry>? renamedLocal = null;
            var renamedMatched = new HashSet<IndexPath>();
            if (renames != null)
            {
                renamedLocal = [];
                foreach (var entry in new SourceTreeWalker(localBytes, selection?.Predicate))
                    if (renames.IsUnderTarget(entry.Index)) renamedLocal[entry.Index] = entry;
            }
            var walk = new SourceTreeWalker(localBytes, selection?.Predicate).Where(e => renames == null || !renames.IsUnderTarget(e.Index));
            using var local = walk.GetEnumerator();
            bool hasLocal = local.MoveNext();
            void Report(VerifyDifference difference)
            {
                differences.Add(difference);
                VerifyLog.Difference(_logger, difference.Path, difference.Kind, difference.Expected, difference.Found);
            }
            void LocalOnlyBefore(IndexPath? limit)
            {
                while (hasLocal && (limit == null || local.Current.Index < limit.Value))
                {
                    // A folder the backup lacks but a restore with these renames creates to hold a TO is no difference.
                    if (renames != null && local.Current.IsDirectory && renames.IsAboveTarget(local.Current.Index))
                    {
                        hasLocal = local.MoveNext();
                        continue;
                    }
                    compared++;
                    if (_options.CompareData) Report(new(local.Current.Index.ToString(), VerifyDifferenceKind.NewFile));
                    hasLocal = local.MoveNext();
                }
            }

            await new ChainReader(source.Readers, prefix, tempRoot, _logger).RunAsync(async (archived, meta, content, ct) =>
            {
                var relative = renames?.Apply(archived) ?? archived;
                SourceEntry? current;
                if (renamedLocal != null && renames!.IsUnderTarget(relative))
                {
                    compared++;
                    if (renamedLocal.TryGetValue(relative, out current)) renamedMatched.Add(relative);
                }
                else
                {
                    LocalOnlyBefore(relative);
                    compared++;
                    current = hasLocal && local.Current.Index == relative ? local.Current : null;
                    if (current != null) hasLocal = local.MoveNext();
                }
                if (!_options.CompareData) return;
                if (current == null) { Report(new(relative.ToString(), VerifyDifferenceKind.Missing)); return; }
                if (await DescribeDifferenceAsync(relative, meta, current, content, ct).ConfigureAwait(false) is { } d) Report(d);
            }, cancellationToken).ConfigureAwait(false);
            LocalOnlyBefore(null);
            skipped = source.SkippedVolumes;
            if (renamedLocal != null)
            {
                foreach (var index in renamedLocal.Keys.Where(k => !renamedMatched.Contains(k)).Order())
                {
                    compared++;
                    if (_options.CompareData) Report(new(index.ToString(), VerifyDifferenceKind.NewFile));
                }
            }
        }
        finally
        {
            temp.Dispose();
        }
        var result = new VerifyResult { FilesCompared = compared, Differences = differences, SkippedVolumes = skipped };
        VerifyLog.Summary(_logger, result);
        return result;
    }

    private static async Task<VerifyDifference?> DescribeDifferenceAsync(IndexPath index, FileMetadata backup, SourceEntry current, RebuiltContent? content, CancellationToken cancellationToken)
    {
        var local = current.Metadata;
        var path = index.ToString();
        if (backup.Type != local.Type) return new(path, VerifyDifferenceKind.Type, TypeName(backup.Type), TypeName(local.Type));
        static string Perms(long uid, long gid, FileMetadata m) => string.Create(CultureInfo.InvariantCulture, $"{uid}:{gid} {Convert.ToString(m.Mode, 8)}");
        // A layer that cannot see owners (the portable one) compares permission bits only.
        bool permsEqual = backup.Mode == local.Mode && (!FileLayer.Current.KnowsOwners || (LocalUid(backup) == local.Uid && LocalGid(backup) == local.Gid));
        VerifyDifference PermissionDifference() =>
            new(path, VerifyDifferenceKind.Permissions, Perms(LocalUid(backup), LocalGid(backup), backup), Perms(local.Uid, local.Gid, local));
        switch (backup.Type)
        {
            case FileEntryType.Regular or FileEntryType.Directory or FileEntryType.Fifo:
                if (!permsEqual) return PermissionDifference();
                if (backup.MTime != local.MTime && (backup.MTime > 0 || local.MTime > 0))
                    return new(path, VerifyDifferenceKind.ModificationTime, IsoTime(backup.MTime), IsoTime(local.MTime));
                // Data partly in a left-out volume (ignored errors) is never the local file's.
                if (backup.Type == FileEntryType.Regular && (!await SameContentAsync(current, content!, cancellationToken).ConfigureAwait(false) || content!.Incomplete))
                    return new(path, VerifyDifferenceKind.Data);
                return null;
            case FileEntryType.Symlink:
                var a = backup.LinkTarget ?? [];
                var b = local.LinkTarget ?? [];
                return a.AsSpan().SequenceEqual(b) ? null
                    : new(path, VerifyDifferenceKind.SymlinkTarget, Encoding.UTF8.GetString(a), Encoding.UTF8.GetString(b));
            default:
                if (!permsEqual) return PermissionDifference();
                if (backup.DeviceMajor != local.DeviceMajor || backup.DeviceMinor != local.DeviceMinor)
                    return new(path, VerifyDifferenceKind.DeviceNumbers,
                        string.Create(CultureInfo.InvariantCulture, $"{backup.DeviceMajor},{backup.DeviceMinor}"),
                        string.Create(CultureInfo.InvariantCulture, $"{local.DeviceMajor},{local.DeviceMinor}"));
                return null;
        }
    }

    private static string IsoTime(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static long LocalUid(FileMetadata m) => FileLayer.Current.LocalUid(m);
    private static long LocalGid(FileMetadata m) => FileLayer.Current.LocalGid(m);

    private static string TypeName(FileEntryType type) => type switch
    {
        FileEntryType.Regular => "reg",
        FileEntryType.Directory => "dir",
        FileEntryType.Symlink => "sym",
        FileEntryType.Fifo => "fifo",
        FileEntryType.CharacterDevice => "chr",
        _ => "blk",
    };

    private static async Task<bool> SameContentAsync(SourceEntry local, RebuiltContent content, CancellationToken cancellationToken)
    {
        SafeFileHandle handle;
        try
        {
            handle = FileLayer.Current.OpenSourceFile(local.FullPath, local.Stat);
        }
        catch (SourceFileChangedException)
        {
            return false; // swapped for another object since the walk: not the data that was backed up
        }
        using var owned = handle;
        var file = new FileStream(handle, FileAccess.Read, 1 << 16);
        await using var fileDisposal = file.ConfigureAwait(false);
        var comparer = new ComparingStream(file);
        await content.CopyToAsync(comparer, cancellationToken).ConfigureAwait(false);
        return comparer.Equal && file.ReadByte() < 0;
    }

    /// <summary>A write-only stream that checks what is written against a file, byte for byte.</summary>
    private sealed class ComparingStream(Stream expected) : WriteOnlyStream
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        public bool Equal { get; private set; } = true;

        public override void Write(ReadOnlySpan<byte> data)
        {
            while (Equal && !data.IsEmpty)
            {
                int n = expected.ReadAtLeast(_buffer.AsSpan(0, Math.Min(_buffer.Length, data.Length)), Math.Min(_buffer.Length, data.Length), throwOnEndOfStream: false);
                if (n == 0 || !_buffer.AsSpan(0, n).SequenceEqual(data[..n])) { Equal = false; return; }
                data = data[n..];
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }
}
