using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Collections;
using Duplicity.Files;
using Duplicity.Selection;
using Duplicity.Sessions.Backup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Sessions;

/// <summary>
/// Makes one backup of a local folder to a backend in duplicity's archive format: volumes, signature
/// archive and manifest, plus the local archive cache.
/// </summary>
/// <remarks>
/// Files are read once; signatures are computed in the same pass. Compression of a volume runs on its
/// own task while the next entries are produced, and uploads overlap with both, so memory stays bounded
/// by a few megabytes of buffers whatever the volume or file size.
/// </remarks>
public sealed class BackupSession
{
    private readonly IBackend _backend;
    private readonly BackupOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read or written until <see cref="RunAsync"/>.</summary>
    public BackupSession(IBackend backend, BackupOptions options, ILoggerFactory? loggerFactory = null)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BackupSession>();
    }

    /// <summary>Runs the backup.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="DuplicityException">The source is missing, the cache is locked, a backend call failed, ...</exception>
    public async Task<BackupResult> RunAsync(IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _options.Validate();
        var sourceBytes = Encoding.UTF8.GetBytes(_options.Source);
        if (!Posix.TryLstat(sourceBytes, out var sourceStat) || (sourceStat.Mode & 0xF000) != 0x4000)
            throw new DuplicityException(DuplicityErrorCode.BackupDirMissing, $"Backup source directory {_options.Source} does not exist.");

        var cache = ArchiveCache.Open(_options.Cache, _backend.DisplayName);
        using var cacheLock = cache.AcquireLock();

        var remoteNames = new List<string>();
        await foreach (var f in _backend.ListAsync(cancellationToken).ConfigureAwait(false)) remoteNames.Add(f.Name);
        var status = CollectionStatus.Build(remoteNames, cache.ListFileNames(), _options.FileNaming);

        if (_options.Mode == BackupMode.Incremental)
            throw new DuplicityException(DuplicityErrorCode.NotImplemented, "Incremental backups are not supported yet by this version.");
        if (_options.Mode == BackupMode.Auto && status.PrimaryChain != null)
            _logger.LogWarning("Incremental backups are not supported yet; making a full backup.");

        var now = _options.TimeProvider.GetUtcNow();
        long time = now.ToUnixTimeSeconds();
        var stats = new StatisticsCollector { StartTime = now.ToUnixTimeMilliseconds() / 1000.0 };

        var tempRoot = Path.Combine(_options.TempDirectory ?? Path.GetTempPath(), $"duplicity-net-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tempRoot);
        try
        {
            int volumes = await WriteFullSetAsync(sourceBytes, time, cache, tempRoot, stats, progress, cancellationToken).ConfigureAwait(false);
            var end = _options.TimeProvider.GetUtcNow();
            return new BackupResult
            {
                IsFull = true,
                Time = time,
                VolumeCount = volumes,
                Statistics = stats.ToStatistics(end.ToUnixTimeMilliseconds() / 1000.0),
            };
        }
        finally
        {
            try { Directory.Delete(tempRoot, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<int> WriteFullSetAsync(byte[] sourceBytes, long time, ArchiveCache cache, string tempRoot,
        StatisticsCollector stats, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var naming = _options.FileNaming;
        bool compress = _options.Compress;
        string manifestName = new RemoteFileName(RemoteFileKind.FullManifest, time, time).Format(naming);
        string sigBaseName = new RemoteFileName(RemoteFileKind.FullSignatures, time, time).Format(naming);
        string manifestPart = cache.PathOf(manifestName + ".part");
        string sigPart = cache.PathOf(sigBaseName + ".part");

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = linked.Token;
        var pipe = Channel.CreateBounded<VolumePipeItem>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var finished = Channel.CreateBounded<FinishedVolume>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var encoder = new VolumeEncoder(compress ? VolumeEncoding.Gzip : VolumeEncoding.Plain, tempRoot);
        var volumeWriter = new DifftarVolumeWriter(pipe.Writer, encoder, _options.VolumeSize);
        var filelist = new List<ManifestFileChange>();

        await using var manifestFile = new FileStream(manifestPart, FileMode.Create, FileAccess.Write, FileShare.Read);
        var manifest = new ManifestWriter(manifestFile);
        manifest.WriteHeader(_options.Hostname ?? System.Net.Dns.GetHostName(), LocalDirName.Canonical(_options.Source));

        int volumeCount = 0;
        var encodeTask = Task.Run(() => encoder.RunAsync(pipe.Reader, finished.Writer, ct), ct);
        var uploadTask = Task.Run(async () =>
        {
            await foreach (var volume in finished.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var name = new RemoteFileName(RemoteFileKind.FullVolume, time, time, volume.Number, IsCompressed: compress).Format(naming);
                await using (var content = new FileStream(volume.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
                    await _backend.PutAsync(name, content, ct).ConfigureAwait(false);
                File.Delete(volume.TempPath);
                stats.AddUploaded(volume.Size);
                var entry = new ManifestVolume
                {
                    Number = volume.Number,
                    StartPath = volume.Range.StartIndex,
                    StartBlock = volume.Range.StartBlock,
                    EndPath = volume.Range.EndIndex,
                    EndBlock = volume.Range.EndBlock,
                };
                entry.SetHash("SHA1", volume.Sha1Hex);
                manifest.WriteVolume(entry);
                volumeCount++;
                _logger.LogDebug("Uploaded {Name} ({Size} bytes)", name, volume.Size);
            }
        }, ct);

        try
        {
            await using (var sigFile = new FileStream(sigPart, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
            {
                var signatures = new SignatureTarWriter(sigFile);
                var walker = new SourceTreeWalker(sourceBytes, onProblem: problem =>
                {
                    if (problem.CountsAsError) stats.Errors++;
                    _logger.LogWarning("{Kind}: {Path} (errno {Errno})", problem.Kind, problem.Index, problem.Errno);
                });
                var producer = new SnapshotProducer(volumeWriter, signatures, filelist, stats, _options.MaxBlockSize, tempRoot, progress, _logger);
                await producer.RunAsync(walker, ct).ConfigureAwait(false);
                await volumeWriter.CompleteAsync(ct).ConfigureAwait(false);
                signatures.Complete();
            }
            await Task.WhenAll(encodeTask, uploadTask).ConfigureAwait(false);
        }
        catch
        {
            linked.Cancel();
            pipe.Writer.TryComplete();
            try { await Task.WhenAll(encodeTask, uploadTask).ConfigureAwait(false); } catch (Exception) { /* the first error wins */ }
            throw;
        }

        // Signatures: gzip into the cache (always), upload gzipped or plain as the options say.
        string sigCacheName = new RemoteFileName(RemoteFileKind.FullSignatures, time, time, IsCompressed: true).Format(naming);
        string sigRemoteName = new RemoteFileName(RemoteFileKind.FullSignatures, time, time, IsCompressed: compress).Format(naming);
        await using (var input = File.OpenRead(sigPart))
        await using (var output = new FileStream(cache.PathOf(sigCacheName), FileMode.Create, FileAccess.Write))
        await using (var gzip = VolumeEncoding.Gzip.Wrap(output))
            await input.CopyToAsync(gzip, cancellationToken).ConfigureAwait(false);
        string sigUpload = compress ? cache.PathOf(sigCacheName) : sigPart;
        await using (var content = File.OpenRead(sigUpload))
            await _backend.PutAsync(sigRemoteName, content, cancellationToken).ConfigureAwait(false);
        File.Delete(sigPart);

        manifest.WriteFilelist(_options.NoFilesChanged ? [] : filelist);
        await manifestFile.FlushAsync(cancellationToken).ConfigureAwait(false);
        await manifestFile.DisposeAsync().ConfigureAwait(false);
        File.Move(manifestPart, cache.PathOf(manifestName), overwrite: true);
        await using (var content = File.OpenRead(cache.PathOf(manifestName)))
            await _backend.PutAsync(manifestName, content, cancellationToken).ConfigureAwait(false);
        return volumeCount;
    }
}
