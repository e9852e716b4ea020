using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Collections;
using Duplicity.Crypto;
using Duplicity.Diagnostics;
using Duplicity.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Repository;

/// <summary>
/// One backup repository: a backend holding duplicity's files, and the local archive dir that caches
/// its manifests and signatures. Every operation (<see cref="Sessions.BackupSession"/>,
/// <see cref="Sessions.RestoreSession"/>, <see cref="Sessions.VerifySession"/>,
/// <see cref="Sessions.ListSession"/>, <see cref="Sessions.RetentionPlan"/>, cleanup, replicate) runs against an
/// open repository, which owns the archive dir, its lock, file naming, encryption and the collection status.
/// </summary>
/// <remarks>
/// Opening takes the archive dir's lock, the same lock duplicity takes, and holds it until the
/// repository is disposed: while it is open, neither duplicity nor another repository object works on
/// the same archive dir. The backend is not disposed with the repository; its owner disposes it.
/// </remarks>
public sealed class BackupRepository : IAsyncDisposable
{
    private readonly IDisposable _lock;
    private readonly bool _ownsBackend;
    private ArchiveCodec? _readCodec;
    private ArchiveCodec? _writeCodec;
    private bool _disposed;

    private BackupRepository(IBackend backend, RepositoryOptions options, ILoggerFactory loggerFactory, ArchiveCache cache, IDisposable @lock, bool ownsBackend)
    {
        _ownsBackend = ownsBackend;
        Backend = backend;
        Options = options;
        LoggerFactory = loggerFactory;
        Cache = cache;
        _lock = @lock;
    }

    /// <summary>The backend holding the repository's files.</summary>
    public IBackend Backend { get; }

    /// <summary>The options the repository was opened with.</summary>
    public RepositoryOptions Options { get; }

    /// <summary>The local archive dir of this repository (root joined with the name).</summary>
    public string ArchiveDirectory => Cache.Directory;

    /// <summary>Where the operations on this repository log.</summary>
    public ILoggerFactory LoggerFactory { get; }

    internal ArchiveCache Cache { get; }

    internal FileNamingOptions Naming => Options.FileNaming;

    internal TimeProvider TimeProvider => Options.TimeProvider;

    /// <summary>
    /// Opens a repository: creates its archive dir if needed (private to the user) and takes the lock.
    /// Nothing is read from the backend yet.
    /// </summary>
    /// <param name="backend">The backend holding the repository's files.</param>
    /// <param name="options">Archive dir, naming, encryption; null uses the defaults (archive dir named after the backend's URL).</param>
    /// <param name="loggerFactory">Where the operations log; null logs nothing.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="RepositoryLockedException">duplicity or another process holds the archive dir's lock (code 23).</exception>
    /// <exception cref="DuplicityException">The archive dir is not a folder, ...</exception>
    public static Task<BackupRepository> OpenAsync(IBackend backend, RepositoryOptions? options = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        OpenAsync(backend, ownsBackend: false, options, loggerFactory, cancellationToken);

    /// <summary>As <see cref="OpenAsync(IBackend, RepositoryOptions?, ILoggerFactory?, CancellationToken)"/>; with
    /// <paramref name="ownsBackend"/> the backend is disposed with the repository (or when opening fails).</summary>
    internal static Task<BackupRepository> OpenAsync(IBackend backend, bool ownsBackend, RepositoryOptions? options,
        ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        cancellationToken.ThrowIfCancellationRequested();
        // A snapshot: later changes to the caller's options object do not reach an open repository.
        options = options?.Clone() ?? new RepositoryOptions();
        ArchiveCache cache;
        try
        {
            cache = ArchiveCache.Open(options.ArchiveDirectory ?? RepositoryOptions.DefaultArchiveDirectory(),
                options.Name ?? RepositoryOptions.DefaultNameFor(backend.DisplayName));
        }
        catch (Exception e) when (LocalFaults.Translate(e, "Opening the archive dir") is { } typed)
        {
            throw typed;
        }
        var @lock = cache.AcquireLock();
        return Task.FromResult(new BackupRepository(backend, options, loggerFactory ?? NullLoggerFactory.Instance, cache, @lock, ownsBackend));
    }

    /// <summary>
    /// The repository as it is now: the backend's file names and the archive dir's, grouped into chains,
    /// sets and signature chains, with the warnings duplicity reports. The archive dir is not synchronised
    /// (as duplicity's <c>collection-status</c>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async Task<CollectionStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var remote = await ListRemoteAsync(cancellationToken).ConfigureAwait(false);
        return BuildStatus(remote);
    }

    /// <summary>
    /// Brings the archive dir in line with the backend (the backend is authoritative: missing manifests
    /// and signatures are downloaded, local ones the backend no longer has are removed), then returns the status.
    /// Every operation that reads the archive dir does this first.
    /// </summary>
    /// <param name="cancellationToken">Cancels the synchronisation.</param>
    public async Task<CollectionStatus> SynchronizeAsync(CancellationToken cancellationToken = default) =>
        (await SynchronizeAsync(dryRun: false, forWriting: false, cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>
    /// Deletes what <c>cleanup</c> removes (<see cref="CollectionStatus.GetExtraneousFiles"/>): files of
    /// orphaned and incomplete sets on the backend, orphaned signature files on both sides.
    /// </summary>
    /// <param name="status">A status read from this repository.</param>
    /// <param name="cancellationToken">Cancels the deletion between files.</param>
    /// <returns>The names deleted, local ones first.</returns>
    public async Task<IReadOnlyList<string>> DeleteExtraneousFilesAsync(CollectionStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        ThrowIfDisposed();
        var (local, remote) = status.GetExtraneousFiles();
        if (remote.Count > 0) await Backend.DeleteAsync(remote, cancellationToken).ConfigureAwait(false);
        foreach (var name in local) Cache.Delete(name);
        return [.. local, .. remote];
    }

    /// <summary>
    /// The changes a set's manifest records (its Filelist), read from the archive dir; empty when the
    /// manifest is not cached there (as duplicity, which reads only cached manifests for this).
    /// </summary>
    /// <param name="set">A set of a status read from this repository.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArchiveCorruptException">The cached manifest's Filelist is malformed.</exception>
    public async Task<IReadOnlyList<ManifestFileChange>> ReadChangedFilesAsync(BackupSet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ThrowIfDisposed();
        if (set.ManifestName == null || RemoteFileName.TryParse(set.ManifestName, Naming) is not { } parsed) return [];
        var path = Cache.PathOf(ArchiveCache.LocalNameOf(parsed, Naming));
        if (!File.Exists(path)) return [];
        return ManifestParser.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)).Filelist ?? [];
    }

    /// <summary>Releases the archive dir's lock (and disposes the backend when the repository opened it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _lock.Dispose();
        if (_ownsBackend) await Backend.DisposeAsync().ConfigureAwait(false);
    }

    internal ILogger CreateLogger<T>() => LoggerFactory.CreateLogger<T>();

    /// <summary>A private temporary folder for one operation.</summary>
    internal PrivateTempDirectory CreateTempDirectory(ILogger logger) => PrivateTempDirectory.Create(Options.TempDirectory, logger);

    /// <summary>The codec that reads this repository's files (decryption as configured).</summary>
    internal ArchiveCodec ReadCodec => _readCodec ??= ArchiveCodec.ForReading(Options.Decryption, GnuPGEngine, LoggerFactory.CreateLogger<ArchiveCodec>());

    /// <summary>The gpg program's settings when it is the OpenPGP engine, else null (the in-process engine).</summary>
    internal GnuPGOptions? GnuPGEngine => Options.OpenPgpEngine == OpenPgpEngine.GnuPGBinary ? Options.GnuPG ?? new GnuPGOptions() : null;

    /// <summary>The codec a backup writes with; it also reads what it writes (passphrase backups).</summary>
    internal async ValueTask<ArchiveCodec> GetWriteCodecAsync(CancellationToken cancellationToken) =>
        _writeCodec ??= await ArchiveCodec.ForWritingAsync(Options.Encryption, Options.Decryption, Options.Compress,
            GnuPGEngine, LoggerFactory.CreateLogger<ArchiveCodec>(), cancellationToken).ConfigureAwait(false);

    /// <summary>The backend's file names.</summary>
    internal async Task<List<string>> ListRemoteAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var f in Backend.ListAsync(cancellationToken).ConfigureAwait(false)) names.Add(f.Name);
        return names;
    }

    internal CollectionStatus BuildStatus(IReadOnlyCollection<string> remoteNames)
    {
        var status = CollectionStatus.Build(remoteNames, Cache.ListFileNames(), Naming);
        status.ArchiveDirectory = Cache.Directory;
        return status;
    }

    /// <summary>
    /// Lists the backend, synchronises the archive dir (a dry run only tells what it would change) and
    /// returns the status with the backend's names. A backup synchronises with its own codec, which can
    /// read what a passphrase backup wrote without separate decryption options.
    /// </summary>
    internal async Task<(CollectionStatus Status, List<string> RemoteNames)> SynchronizeAsync(bool dryRun, bool forWriting, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var remote = await ListRemoteAsync(cancellationToken).ConfigureAwait(false);
        var codec = forWriting ? await GetWriteCodecAsync(cancellationToken).ConfigureAwait(false) : ReadCodec;
        await new CacheSynchronizer(Backend, Cache, Naming, codec, LoggerFactory.CreateLogger<CacheSynchronizer>(), dryRun)
            .SyncAsync(remote, cancellationToken).ConfigureAwait(false);
        // The seek indexes follow the cached manifests, whichever way those went (the sync, a lost file, a hand).
        if (!dryRun) Cache.PruneSeekIndexes();
        return (BuildStatus(remote), remote);
    }

    /// <summary>Opens the plaintext tar of a cached signature file.</summary>
    internal Stream OpenCachedSignatures(string remoteName) => Cache.OpenSignatures(remoteName, Naming);

    /// <summary>
    /// A set's manifest without its Filelist: from the archive dir, where a synchronisation left every
    /// manifest as plaintext, or from the backend when a dry run did not fill the archive dir.
    /// </summary>
    internal async Task<Manifest> LoadManifestAsync(BackupSet set, bool allowBackend, CancellationToken cancellationToken)
    {
        if (set.ManifestName == null)
            throw new DuplicityException(DuplicityErrorCode.NoManifests, $"No manifest found for the backup set {set}.");
        var local = Cache.LocalPathOf(set.ManifestName, Naming);
        if (File.Exists(local))
        {
            var file = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
                return await ManifestHead.ReadAsync(file, cancellationToken).ConfigureAwait(false);
        }
        if (!allowBackend)
            throw new DuplicityException(DuplicityErrorCode.UnreadableManifests, $"The manifest of the backup set {set} is not in the local cache.");
        var stored = await Backend.GetAsync(set.ManifestName, cancellationToken).ConfigureAwait(false);
        await using var storedDisposal = stored.ConfigureAwait(false);
        var plain = await ReadCodec.OpenReadAsync(RemoteFileName.TryParse(set.ManifestName, Naming)!, stored, cancellationToken).ConfigureAwait(false);
        await using var plainDisposal = plain.ConfigureAwait(false);
        return await ManifestHead.ReadAsync(plain, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The seek index the archive dir keeps for <paramref name="set"/>, or null (none, or not readable).</summary>
    internal VolumeSeekIndex? LoadSeekIndex(BackupSet set) =>
        set.ManifestName == null ? null : VolumeSeekIndex.TryLoad(Cache.SeekIndexPathOf(Path.GetFileName(Cache.LocalPathOf(set.ManifestName, Naming))));

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
