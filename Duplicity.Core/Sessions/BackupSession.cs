using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Signatures;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Cache;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Selection;
using Duplicity.Repository;
using Duplicity.Sessions.Backup;
using Microsoft.Extensions.Logging;

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
    private readonly BackupRepository _repository;
    private readonly IBackend _backend;
    private readonly BackupOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read or written until <see cref="RunAsync"/>.</summary>
    /// <param name="repository">The open repository to back up into (its encryption, naming and archive dir apply).</param>
    /// <param name="options">What to back up and how.</param>
    public BackupSession(BackupRepository repository, BackupOptions options)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _backend = repository.Backend;
        _logger = repository.CreateLogger<BackupSession>();
    }

    private FileNamingOptions Naming => _repository.Naming;
    private TimeProvider Clock => _repository.TimeProvider;

    /// <summary>Runs the backup.</summary>
    /// <param name="events">Receives, in order, each entry added, modified or deleted, each volume stored, and progress; null for none.</param>
    /// <param name="cancellationToken">Stops the backup; what was stored stays, and no manifest marks the set complete.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="DuplicityException">The source is missing, the cache is locked, a backend call failed, ...</exception>
    /// <exception cref="OutOfSpaceException">A local disk (archive dir, temporary folder, target) filled up (code 35).</exception>
    /// <exception cref="LocalAccessException">A local folder cannot be created, entered or written (code 23).</exception>
    public async Task<BackupResult> RunAsync(IProgress<BackupEvent>? events = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCoreAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (LocalFaults.Translate(e, "Backup") is { } typed)
        {
            throw typed;
        }
    }

    private async Task<BackupResult> RunCoreAsync(IProgress<BackupEvent>? events = null, CancellationToken cancellationToken = default)
    {
        _options.Validate();
        var sourceBytes = Encoding.UTF8.GetBytes(_options.Source);
        if (!FileLayer.Current.TryLstat(sourceBytes, out var sourceStat) || (sourceStat.Mode & 0xF000) != 0x4000)
            throw new DuplicityException(DuplicityErrorCode.BackupDirMissing, $"Backup source directory {_options.Source} does not exist.");

        // Selection errors (patterns that cannot match, ...) stop the run before anything is written.
        var selection = _options.Selection?.Bind(_options.Source);
        var cache = _repository.Cache;
        var codec = await _repository.GetWriteCodecAsync(cancellationToken).ConfigureAwait(false);
        var (status, remoteNames) = await _repository.SynchronizeAsync(_options.DryRun, forWriting: true, cancellationToken).ConfigureAwait(false);

        ResumePlan? resume = null;
        if (!_options.DryRun)
        {
            var (plan, discarded) = await new ResumePlanner(_repository, codec, _options, _logger).PlanAsync(status, cancellationToken).ConfigureAwait(false);
            if (discarded) (status, remoteNames) = await _repository.SynchronizeAsync(false, forWriting: true, cancellationToken).ConfigureAwait(false);
            resume = plan;
            PartialFiles.DeleteAll(_repository, keep: resume?.Set);
            if (resume == null) await DeleteUncommittedSignaturesAsync(status, cancellationToken).ConfigureAwait(false);
        }

        var now = Clock.GetUtcNow();
        long time = now.ToUnixTimeSeconds();
        var lastFull = status.Chains.Count > 0 ? status.Chains[^1].Full.EndTime : (DateTimeOffset?)null;
        BackupLog.LastFullBackupDate(_logger, lastFull);
        bool redoFull = false;
        if (resume != null)
        {
            try
            {
                return await ResumeAsync(resume, sourceBytes, selection, codec, now, events, cancellationToken).ConfigureAwait(false);
            }
            catch (ResumeSourceChangedException changed)
            {
                // What the kept volumes store is no longer what the source holds: the set is given up
                // and this run makes a new one, as if the interruption had never happened.
                BackupLog.ResumeSourceChanged(_logger, changed.Index);
                // Both reads are needed. Before: a file cut at the resume position is checked only once read
                // to its end, so the resume may have stored volumes the first status does not list, and
                // they go with the set. After: the given-up set, its partial manifest standing in for a
                // remote one, still ends the chain in that status.
                (status, remoteNames) = await _repository.SynchronizeAsync(false, forWriting: true, cancellationToken).ConfigureAwait(false);
                await new ResumePlanner(_repository, codec, _options, _logger).DiscardAsync(status, cancellationToken).ConfigureAwait(false);
                (status, remoteNames) = await _repository.SynchronizeAsync(false, forWriting: true, cancellationToken).ConfigureAwait(false);
                await DeleteUncommittedSignaturesAsync(status, cancellationToken).ConfigureAwait(false);
                lastFull = status.Chains.Count > 0 ? status.Chains[^1].Full.EndTime : null;
                now = Clock.GetUtcNow();
                time = now.ToUnixTimeSeconds();
                // The set given up was going to be made whatever mode was asked: a full stays a full.
                redoFull = resume.Set.IsFull;
            }
        }

        bool full = _options.Mode == BackupMode.Full || redoFull;
        if (!full)
        {
            if (status.PrimaryChain == null)
            {
                if (_options.Mode == BackupMode.Incremental)
                    throw new DuplicityException(DuplicityErrorCode.NotImplementedIncremental,
                        "Fatal Error: Unable to start incremental backup.  Old signatures not found and incremental specified");
                BackupLog.SwitchingToFull(_logger);
                full = true;
            }
            else if (_options.FullIfOlderThan is { } maxAge && status.PrimaryChain.Full.EndSeconds < time - (long)maxAge.TotalSeconds)
            {
                BackupLog.ForcingFull(_logger);
                full = true;
            }
        }

        long? previousTime = null;
        if (!full)
        {
            var chain = status.PrimaryChain!;
            previousTime = chain.EndSeconds;
            await CheckSourceMatchesLastManifestAsync(chain, cancellationToken).ConfigureAwait(false);
            // Names are keyed by whole seconds, and a set must end after the chain. As duplicity does,
            // a run in the chain's last second waits for the clock: a time stamped in the future would
            // be invisible to a restore "now" until that second came. Only a clock the host supplies
            // (tests, --current-time) is never waited for; it takes the next second instead.
            if (time <= previousTime && ReferenceEquals(Clock, TimeProvider.System))
            {
                var wait = DateTimeOffset.FromUnixTimeSeconds(previousTime.Value + 1) - TimeProvider.System.GetUtcNow();
                if (wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(2))
                    await Task.Delay(wait + TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
                now = TimeProvider.System.GetUtcNow();
                time = now.ToUnixTimeSeconds();
            }
            if (time <= previousTime) time = previousTime.Value + 1;
        }
        var stats = new StatisticsCollector { StartTime = now };
        var sink = new BackupEventSink(_logger, events);
        if (_options.DryRun)
        {
            using var dryTemp = full ? null : _repository.CreateTempDirectory(_logger);
            using (var dryPrevious = full ? null : new CombinedSignatureReader(await OpenSignaturesForDryRunAsync(status.MatchedSignatureChain!, cache, codec, remoteNames, dryTemp!, cancellationToken).ConfigureAwait(false)))
                DryRunComparison.Run(new SourceTreeWalker(sourceBytes, selection?.Predicate, followSymlinks: _options.CopyLinks), dryPrevious, stats, sink, cancellationToken);
            return new BackupResult
            {
                IsFull = full, Time = DateTimeOffset.FromUnixTimeSeconds(time), PreviousTime = FromSeconds(previousTime), VolumeCount = 0,
                Statistics = stats.ToStatistics(Clock.GetUtcNow()),
            };
        }

        var temp = _repository.CreateTempDirectory(_logger);
        var tempRoot = temp.Path;
        try
        {
            CombinedSignatureReader? previous = null;
            if (!full)
            {
                var sigChain = status.MatchedSignatureChain!;
                previous = new CombinedSignatureReader(sigChain.FileNames.Select(name => _repository.OpenCachedSignatures(name)).ToList(), spillDirectory: tempRoot);
            }
            int volumes;
            using (previous)
                volumes = await WriteSetAsync(new SetRun(sourceBytes, full, previousTime ?? time, time, previous, selection, codec, tempRoot, stats, sink, null), cancellationToken).ConfigureAwait(false);
            var end = Clock.GetUtcNow();
            return new BackupResult
            {
                IsFull = full,
                Time = DateTimeOffset.FromUnixTimeSeconds(time),
                PreviousTime = FromSeconds(previousTime),
                VolumeCount = volumes,
                Statistics = stats.ToStatistics(end),
            };
        }
        finally
        {
            temp.Dispose();
        }
    }

    /// <summary>Continues an interrupted set with its own kind and times; the kept volumes stay as they are.</summary>
    private async Task<BackupResult> ResumeAsync(ResumePlan plan, byte[] sourceBytes, BoundSelection? selection, ArchiveCodec codec, DateTimeOffset now, IProgress<BackupEvent>? events, CancellationToken cancellationToken)
    {
        var set = plan.Set;
        var stats = new StatisticsCollector { StartTime = now };
        var sink = new BackupEventSink(_logger, events);
        using var temp = _repository.CreateTempDirectory(_logger);
        var previous = set.IsFull ? null : new CombinedSignatureReader(plan.PreviousSignatures.Select(_repository.OpenCachedSignatures).ToList(), spillDirectory: temp.Path);
        int volumes;
        using (previous)
            volumes = await WriteSetAsync(new SetRun(sourceBytes, set.IsFull, set.StartSeconds, set.EndSeconds, previous, selection, codec, temp.Path, stats, sink, plan), cancellationToken).ConfigureAwait(false);
        return new BackupResult
        {
            IsFull = set.IsFull,
            Time = set.EndTime,
            PreviousTime = set.IsFull ? null : set.StartTime,
            VolumeCount = volumes,
            ResumedAfterVolume = plan.Position.VolumesKept,
            Statistics = stats.ToStatistics(Clock.GetUtcNow()),
        };
    }

    /// <summary>
    /// Deletes signature files whose set never got its manifest (see the commit order in
    /// <see cref="WriteSetAsync"/>): left in place they would end the signature chain after the last
    /// complete set, and duplicity would then start a new full chain on every run.
    /// </summary>
    private async Task DeleteUncommittedSignaturesAsync(CollectionStatus status, CancellationToken cancellationToken)
    {
        if (status.UncommittedSignatureFiles.Count == 0) return;
        BackupLog.UncommittedSignaturesDeleted(_logger, status.UncommittedSignatureFiles);
        if (status.UncommittedRemoteSignatureFiles.Count > 0)
            await _backend.DeleteAsync(status.UncommittedRemoteSignatureFiles.ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var name in status.UncommittedLocalSignatureFiles) _repository.Cache.Delete(name);
    }

    private static DateTimeOffset? FromSeconds(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>The regular files' sizes summed over a metadata-only walk with the same selection.</summary>
    private long EstimateSourceBytes(byte[] sourceBytes, BoundSelection? selection)
    {
        long total = 0;
        foreach (var entry in new SourceTreeWalker(sourceBytes, selection?.Predicate, onProblem: null, followSymlinks: _options.CopyLinks))
            if (entry.Metadata.Type == FileEntryType.Regular) total += entry.Metadata.Size;
        return total;
    }

    /// <summary>The chain's signatures from the cache, or from the backend where a dry run left the cache unsynced.</summary>
    private async Task<List<Stream>> OpenSignaturesForDryRunAsync(SignatureChain chain, ArchiveCache cache, ArchiveCodec codec, List<string> remoteNames, PrivateTempDirectory temp, CancellationToken cancellationToken)
    {
        var streams = new List<Stream>();
        var naming = Naming;
        foreach (var name in chain.FileNames)
        {
            var parsed = RemoteFileName.TryParse(name, naming)!;
            var key = parsed with { IsEncrypted = false, IsCompressed = false, IsPartial = false };
            if (File.Exists(cache.LocalPathOf(name, naming)))
            {
                streams.Add(cache.OpenSignatures(name, naming));
                continue;
            }
            var remote = remoteNames.First(r => RemoteFileName.TryParse(r, naming) is { } p && (p with { IsEncrypted = false, IsCompressed = false, IsPartial = false }) == key);
            var stored = await _backend.GetAsync(remote, cancellationToken).ConfigureAwait(false);
            await using var storedDisposal = stored.ConfigureAwait(false);
            var plain = await codec.OpenReadAsync(RemoteFileName.TryParse(remote, naming)!, stored, cancellationToken).ConfigureAwait(false);
            await using var plainDisposal = plain.ConfigureAwait(false);
            // A temporary file, not memory: a signature file grows with the backup.
            var buffer = temp.CreateFile("sig", FileAccess.ReadWrite, FileOptions.DeleteOnClose);
            await plain.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            streams.Add(buffer);
        }
        return streams;
    }

    private async Task CheckSourceMatchesLastManifestAsync(BackupChain chain, CancellationToken cancellationToken)
    {
        if (_options.AllowSourceMismatch) return;
        var last = chain.Sets.Last();
        if (!File.Exists(_repository.Cache.LocalPathOf(last.ManifestName!, Naming))) return;
        var manifest = await _repository.LoadManifestAsync(last, allowBackend: false, cancellationToken).ConfigureAwait(false);
        ManifestSourceCheck.ThrowIfMismatch(manifest, _options);
    }

    /// <summary>
    /// The check of a resumed set's source against its interrupted run's partial signature file, which
    /// is moved aside (and removed when the check is disposed) before the new one is written in its place.
    /// </summary>
    /// <exception cref="ResumeSourceChangedException">There is no previous signature file to check against.</exception>
    private static ResumeSignatureCheck OpenResumeCheck(string sigPart, ResumePlan resume)
    {
        string previousPath = PartialFiles.PreviousSignaturesPath(sigPart);
        // A resume stopped in its turn leaves both files: each is a prefix of the same signature stream
        // (a difference would have given the set up), and the longer one says more.
        if (File.Exists(sigPart) && (!File.Exists(previousPath) || new FileInfo(sigPart).Length >= new FileInfo(previousPath).Length))
            File.Move(sigPart, previousPath, overwrite: true);
        if (!File.Exists(previousPath)) throw new ResumeSourceChangedException(resume.Position.LastIndex);
        var previous = new FileStream(previousPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        return new ResumeSignatureCheck(previous, resume.Position, resume.Checkpoint);
    }

    /// <summary>What one set's writing needs: the source, the set's kind and times, the chain's signatures, and where things go.</summary>
    private sealed record SetRun(byte[] SourceBytes, bool Full, long Start, long Time, CombinedSignatureReader? Previous,
        BoundSelection? Selection, ArchiveCodec Codec, string TempRoot, StatisticsCollector Stats, BackupEventSink Events, ResumePlan? Resume);

    /// <summary>
    /// Writes one set. The order of the stores is the set's crash safety; whatever instant a run
    /// stops at, the next one finds a complete set or an incomplete one it resumes or sets aside:
    /// <list type="number">
    /// <item>Volumes, in order. After each one reaches the backend its line is appended to the partial
    /// manifest in the archive dir and flushed to disk, so a kill loses at most the volume in flight
    /// and the next run resumes after the last stored volume (duplicity's own restart state).</item>
    /// <item>Signatures: the partial signature file is completed and flushed, then stored on the backend.</item>
    /// <item>The manifest is completed, flushed and stored on the backend: the commit point. A set is
    /// complete exactly when its manifest is on the backend.</item>
    /// <item>The archive dir's partial files become final ones (signatures gzipped) by renames.</item>
    /// </list>
    /// Stopped before step 3, the partial manifest makes the set resumable; if the archive dir was lost
    /// too, signatures stored in step 2 are deleted by the next backup, so the chain still ends at its
    /// last complete set (duplicity would otherwise start a new full chain on every run). Stopped during
    /// step 4, the next synchronisation replaces the leftover partial files with the backend's copies.
    /// The cached signatures become final only after the commit, so a resumed incremental never builds
    /// its deltas on its own set's signatures.
    /// </summary>
    private async Task<int> WriteSetAsync(SetRun run, CancellationToken cancellationToken)
    {
        var (sourceBytes, full, start, time, previous, selection, codec, tempRoot, stats, events, resume) = run;
        var cache = _repository.Cache;
        var naming = Naming;
        var volumeKind = full ? RemoteFileKind.FullVolume : RemoteFileKind.IncrementalVolume;
        var sigKind = full ? RemoteFileKind.FullSignatures : RemoteFileKind.NewSignatures;
        var manifestKind = full ? RemoteFileKind.FullManifest : RemoteFileKind.IncrementalManifest;
        string manifestName = new RemoteFileName(manifestKind, start, time).Format(naming);
        string manifestPart = cache.PathOf(new RemoteFileName(manifestKind, start, time, IsPartial: true).Format(naming));
        string sigPart = cache.PathOf(new RemoteFileName(sigKind, start, time, IsPartial: true).Format(naming));

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = linked.Token;
        var pipe = Channel.CreateBounded<VolumePipeItem>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var finished = Channel.CreateBounded<FinishedVolume>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var encoder = new VolumeEncoder(codec.DataEncoding, tempRoot, resume?.Position.VolumesKept ?? 0);
        // Encrypted volumes end in zeros up to a whole tar record, as duplicity writes them.
        var volumeWriter = new DifftarVolumeWriter(pipe.Writer, encoder, _options.VolumeSize, padToRecord: codec.Encrypt, resume?.Position);
        using var filelist = new FilelistSpool(tempRoot);

        var manifestFile = PartialManifestFile.Open(manifestPart, _options.Hostname ?? System.Net.Dns.GetHostName(), LocalDirName.Canonical(_options.Source), resume?.Manifest);
        await using var manifestFileDisposal = manifestFile.ConfigureAwait(false);
        var manifest = new ManifestWriter(manifestFile);

        int volumeCount = resume?.Position.VolumesKept ?? 0;
        var seekIndex = new VolumeSeekIndex();
        var encodeTask = CancelAllOnFailure(Task.Run(() => encoder.RunAsync(pipe.Reader, finished.Writer, ct), ct), linked);
        var uploader = new VolumeUploader(_backend, _options.MaxUploadsInFlight,
            volume => codec.Name(volumeKind, start, time, volume.Number).Format(naming),
            (volume, name) =>
            {
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
                if (volume.SeekPoints.Count > 0) seekIndex.Add(volume.Number, volume.Sha1Hex, volume.SeekPoints);
                // The checkpoint: on disk before the volume counts as stored (fsync has no async form).
#pragma warning disable CA1849
                manifestFile.Flush(flushToDisk: true);
#pragma warning restore CA1849
                volumeCount++;
                events.VolumeStored(volume.Number, name, volume.Size);
            },
            stats.AddUploaded);
        var uploadTask = CancelAllOnFailure(Task.Run(() => uploader.RunAsync(finished.Reader, ct), ct), linked);

        try
        {
            using var resumeCheck = resume != null ? OpenResumeCheck(sigPart, resume) : null;
            var sigFile = PrivateFile.Open(sigPart, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            await using (sigFile.ConfigureAwait(false))
            {
                var signatures = new SignatureTarWriter(sigFile, resumeCheck);
                var walker = new SourceWalkReadAhead(sourceBytes, selection?.Predicate, onProblem: problem =>
                {
                    if (problem.CountsAsError) stats.Errors++;
                    BackupLog.SourceProblem(_logger, problem.Kind, problem.Index, problem.Errno);
                }, followSymlinks: _options.CopyLinks, prefetchFiles: previous is null);
                long bytesTotal = events.WantsProgress && _options.EstimateTotalBytes ? EstimateSourceBytes(sourceBytes, selection) : 0;
                using var producer = new BackupSetProducer(volumeWriter, signatures, filelist, stats, _options.MaxBlockSize, tempRoot, bytesTotal, events, _options.BeforeSourceFileOpen, _options.CopyLinks);
                await producer.RunAsync(walker, previous, ct).ConfigureAwait(false);
                await volumeWriter.CompleteAsync(ct).ConfigureAwait(false);
                signatures.Complete();
#pragma warning disable CA1849 // fsync has no async form
                sigFile.Flush(flushToDisk: true);
#pragma warning restore CA1849
            }
            await Task.WhenAll(encodeTask, uploadTask).ConfigureAwait(false);
        }
        catch
        {
#pragma warning disable CA1849 // Deliberate: the encoder and uploader must see the cancellation before the pipe is completed below.
            linked.Cancel();
#pragma warning restore CA1849
            pipe.Writer.TryComplete();
            try { await Task.WhenAll(encodeTask, uploadTask).ConfigureAwait(false); } catch (Exception) { /* reported below */ }
            // The failure that stopped the pipeline, not the cancellation it caused elsewhere.
            foreach (var task in new[] { uploadTask, encodeTask })
                if (task.Exception?.InnerException is { } cause and not OperationCanceledException)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        if (resume != null && volumeWriter.ResumeOutcome is { } outcome and not ResumeSkipOutcome.Found)
            BackupLog.RestartEntryMissing(_logger, resume.Position.LastIndex, outcome == ResumeSkipOutcome.SourceEnded);

        // Step 2: signatures to the backend. The gzipped copy for the archive dir is made now (it is
        // also what a gzip-only backend stores) under a temporary name no reader takes for a duplicity file.
        string sigCacheName = new RemoteFileName(sigKind, start, time, IsCompressed: true).Format(naming);
        string sigCacheFinal = cache.PathOf(sigCacheName);
        string sigCacheNew = DurableFile.TemporaryPathFor(sigCacheFinal);
        try
        {
            {
                var input = File.OpenRead(sigPart);
                await using var inputDisposal = input.ConfigureAwait(false);
                var output = PrivateFile.Open(sigCacheNew, FileMode.CreateNew, FileAccess.Write);
                await using var outputDisposal = output.ConfigureAwait(false);
                var gzip = VolumeEncoding.Gzip.Wrap(output);
                await using var gzipDisposal = gzip.ConfigureAwait(false);
                await input.CopyToAsync(gzip, cancellationToken).ConfigureAwait(false);
            }
            if (codec.Encrypt || !codec.Compress)
            {
                await UploadEncodedAsync(sigPart, codec.DataEncoding, codec.Name(sigKind, start, time).Format(naming), tempRoot, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var content = File.OpenRead(sigCacheNew);
                await using (content.ConfigureAwait(false))
                    await _backend.PutAsync(codec.Name(sigKind, start, time).Format(naming), content, cancellationToken).ConfigureAwait(false);
            }

            // Step 3, the commit point: the manifest on the backend.
            if (_options.NoFilesChanged) manifest.WriteFilelist([]);
            else filelist.WriteTo(manifest);
#pragma warning disable CA1849 // fsync has no async form
            manifestFile.Flush(flushToDisk: true);
#pragma warning restore CA1849
            await manifestFile.DisposeAsync().ConfigureAwait(false);
            await UploadEncodedAsync(manifestPart, codec.ManifestEncoding, codec.Name(manifestKind, start, time).Format(naming), tempRoot, cancellationToken).ConfigureAwait(false);

            // Step 4: the archive dir's final names.
            DurableFile.Commit(sigCacheNew, sigCacheFinal);
            File.Delete(sigPart);
            DurableFile.Commit(manifestPart, cache.PathOf(manifestName));
        }
        finally
        {
            File.Delete(sigCacheNew);
        }
        // After the commit, and only a speed-up for later restores of single paths: a failure to write it
        // leaves the set exactly as good (restores then read its volumes from the start).
        if (seekIndex.Count > 0)
        {
            try
            {
                await seekIndex.SaveAsync(cache.PrepareSeekIndexPath(manifestName), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                BackupLog.SeekIndexNotWritten(_logger, e.Message);
            }
        }
        return volumeCount;
    }

    /// <summary>
    /// Cancels the whole pipeline when one stage fails: the producer and the encoder would otherwise
    /// wait forever on the channel of a stage that stopped reading.
    /// </summary>
    private static async Task CancelAllOnFailure(Task stage, CancellationTokenSource pipeline)
    {
        try
        {
            await stage.ConfigureAwait(false);
        }
        catch
        {
            await pipeline.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Uploads a local plaintext file through an encoding layer (via a temporary file).</summary>
    private async Task UploadEncodedAsync(string plainPath, VolumeEncoding encoding, string remoteName, string tempRoot, CancellationToken cancellationToken)
    {
        var encodedPath = Path.Combine(tempRoot, $"upload-{Guid.NewGuid():N}.tmp");
        try
        {
            {
                var input = File.OpenRead(plainPath);
                await using var inputDisposal = input.ConfigureAwait(false);
                var output = PrivateFile.Open(encodedPath, FileMode.CreateNew, FileAccess.Write);
                await using var outputDisposal = output.ConfigureAwait(false);
                var layer = encoding.Wrap(output);
                await using var layerDisposal = layer.ConfigureAwait(false);
                await input.CopyToAsync(layer, cancellationToken).ConfigureAwait(false);
            }
            var content = File.OpenRead(encodedPath);
            await using var contentDisposal = content.ConfigureAwait(false);
            await _backend.PutAsync(remoteName, content, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(encodedPath);
        }
    }
}
