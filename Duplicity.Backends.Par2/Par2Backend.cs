using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Backends.Par2;

/// <summary>
/// duplicity's <c>par2+</c> wrapper over any backend: each stored file gets par2 recovery files beside it
/// (<c>name.par2</c> and <c>name.vol000+NNN.par2</c>), a download that fails par2's verification is repaired
/// from them, listings hide every <c>.par2</c> name, and deleting a file deletes its recovery files.
/// </summary>
/// <remarks>
/// As duplicity 0.8.22: the file is stored first, then its recovery files; if par2 cannot make them with the
/// requested number of volumes it is tried with one, and if that fails too the file is stored without them
/// (and recovery files of an earlier file of that name are deleted; par2 0.8.1 fails on empty files and
/// aborts on one-character names). A download fetches the file and its index; a file without an index, or one par2 cannot repair, is returned
/// as downloaded (the volume hash check of the restore then reports it). A missing file is not rebuilt.
/// Files are spooled to a private temporary folder while par2 works on them.
/// </remarks>
public sealed class Par2Backend : DelegatingBackend
{
    private readonly Par2BackendOptions _options;
    private readonly Par2Tool _tool;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The backend the files and their recovery files are stored on.</param>
    /// <param name="options">Redundancy, volumes, par2 options; copied now. Null: duplicity's defaults (10 %, 1 volume).</param>
    /// <param name="loggerFactory">Where creation and repairs are logged (ids 5800s of <see cref="Diagnostics.DuplicityEventIds"/>).</param>
    /// <param name="ownsInner">Whether disposing this wrapper disposes <paramref name="inner"/>.</param>
    public Par2Backend(IBackend inner, Par2BackendOptions? options = null, ILoggerFactory? loggerFactory = null, bool ownsInner = true)
        : base(inner, ownsInner)
    {
        _options = (options ?? new Par2BackendOptions()).Clone();
        _options.Validate();
        _tool = new Par2Tool(_options);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Par2Backend>();
    }

    /// <inheritdoc/>
    public override string DisplayName => "par2+" + Inner.DisplayName;

    /// <inheritdoc/>
    public override async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var file in Inner.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!Par2FileNames.IsPar2(file.Name))
                yield return file;
        }
    }

    /// <inheritdoc/>
    public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        using var folder = Par2WorkFolder.Create(_options.TempDirectory);
        var path = folder.File(name);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);

            Par2Log.Creating(_logger, name);
            var exitCode = await _tool.CreateAsync(folder.Path, name, _options.Volumes, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                Par2Log.RetryingWithOneVolume(_logger, name, exitCode);
                DeletePar2Files(folder);
                exitCode = await _tool.CreateAsync(folder.Path, name, 1, cancellationToken).ConfigureAwait(false);
                if (exitCode != 0)
                {
                    Par2Log.CreateFailed(_logger, name, exitCode);
                    DeletePar2Files(folder);
                }
            }

            file.Position = 0;
            await Inner.PutAsync(name, file, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                // Recovery files of an earlier file of this name would "repair" the new one into the old one.
                await DeleteRecoveryFilesAsync([name], cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        foreach (var par2 in folder.Par2Files().ToList())
        {
            var stream = new FileStream(folder.File(par2), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
                await Inner.PutAsync(par2, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        var folder = Par2WorkFolder.Create(_options.TempDirectory);
        try
        {
            var path = folder.File(name);
            await DownloadAsync(name, path, cancellationToken).ConfigureAwait(false);
            await VerifyAndRepairAsync(folder, name, cancellationToken).ConfigureAwait(false);
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            return new Par2ResultStream(file, folder);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>The whole file is fetched and checked first, so the part from <paramref name="offset"/> on is repaired too.</remarks>
    public override async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var stream = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        stream.Position = Math.Min(offset, stream.Length);
        return stream;
    }

    /// <inheritdoc/>
    public override async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
            BackendFileName.Validate(name);
        if (names.Count == 0)
            return;
        var all = await RecoveryFilesOfAsync(names, cancellationToken).ConfigureAwait(false);
        // The recovery files go first, as duplicity deletes them: an interrupted delete leaves no recovery files without their file.
        all.AddRange(names);
        await Inner.DeleteAsync(all, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<string>> RecoveryFilesOfAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        await foreach (var file in Inner.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Par2FileNames.IsPar2(file.Name) && wanted.Any(n => Par2FileNames.BelongsTo(file.Name, n)))
                found.Add(file.Name);
        }
        return found;
    }

    private async Task DeleteRecoveryFilesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var stale = await RecoveryFilesOfAsync(names, cancellationToken).ConfigureAwait(false);
        if (stale.Count > 0)
            await Inner.DeleteAsync(stale, cancellationToken).ConfigureAwait(false);
    }

    private async Task DownloadAsync(string name, string path, CancellationToken cancellationToken)
    {
        var source = await Inner.GetAsync(name, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task VerifyAndRepairAsync(Par2WorkFolder folder, string name, CancellationToken cancellationToken)
    {
        var index = Par2FileNames.Index(name);
        try
        {
            await DownloadAsync(index, folder.File(index), cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException)
        {
            // duplicity uses a file without recovery files as it is.
            Par2Log.IndexMissing(_logger, name);
            return;
        }
        if (await _tool.VerifyAsync(folder.Path, name, cancellationToken).ConfigureAwait(false) == 0)
            return;

        Par2Log.Repairing(_logger, name);
        var volumes = new List<string>();
        await foreach (var file in Inner.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Par2FileNames.IsVolumeOf(file.Name, name))
                volumes.Add(file.Name);
        }
        foreach (var volume in volumes)
            await DownloadAsync(volume, folder.File(volume), cancellationToken).ConfigureAwait(false);
        var exitCode = await _tool.RepairAsync(folder.Path, name, cancellationToken).ConfigureAwait(false);
        if (exitCode == 0)
            Par2Log.Repaired(_logger, name);
        else
            Par2Log.RepairFailed(_logger, name, exitCode);
    }

    private static void DeletePar2Files(Par2WorkFolder folder)
    {
        foreach (var par2 in folder.Par2Files().ToList())
            File.Delete(folder.File(par2));
    }
}
