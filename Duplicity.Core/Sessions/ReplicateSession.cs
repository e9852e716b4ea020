using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Duplicity.IO;
using Duplicity.Repository;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions;

/// <summary>
/// Copies the signature files and backup sets of one backend to another as duplicity's
/// <c>replicate</c> does: each file is decrypted/decompressed and re-written with this run's
/// encryption and compression, and each set gets a new manifest holding only its volume blocks
/// with fresh SHA-1s. Files the target already has (same type, times and volume count) are skipped.
/// </summary>
/// <remarks>
/// Volumes are copied as plaintext streams, so their framing is kept byte for byte (a gzip
/// volume's missing tar trailer stays missing). No local cache is used.
/// </remarks>
public sealed class ReplicateSession
{
    private readonly BackupRepository _repository;
    private readonly IBackend _source;
    private readonly IBackend _target;
    private readonly ReplicateOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a session; nothing is read or written until <see cref="RunAsync"/>.</summary>
    /// <param name="source">The open repository to copy (its decryption and naming apply; its archive dir is not used).</param>
    /// <param name="target">The backend to copy to; the same file-name prefixes are used there.</param>
    /// <param name="options">Which sets to copy and how to encrypt the copies.</param>
    public ReplicateSession(BackupRepository source, IBackend target, ReplicateOptions? options = null)
    {
        _repository = source ?? throw new ArgumentNullException(nameof(source));
        _source = source.Backend;
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _options = options ?? new ReplicateOptions();
        _logger = source.CreateLogger<ReplicateSession>();
    }

    /// <summary>Runs the copy.</summary>
    /// <exception cref="HashMismatchException">A source volume does not match its manifest.</exception>
    /// <exception cref="DuplicityException">A backend call failed, a manifest is missing or unreadable, ...</exception>
    public async Task<ReplicateResult> RunAsync(CancellationToken cancellationToken = default)
    {
        long time = (_options.Time ?? _repository.TimeProvider.GetUtcNow()).ToUnixTimeSeconds();
        var naming = _repository.Naming;
        var readCodec = _repository.ReadCodec;
        var writeCodec = await ArchiveCodec.ForWritingAsync(_options.Encryption, null, _options.Compress,
            _repository.GnuPGEngine, _logger, cancellationToken).ConfigureAwait(false);
        var source = CollectionStatus.Build(await _repository.ListRemoteAsync(cancellationToken).ConfigureAwait(false), [], naming);
        var target = CollectionStatus.Build(await ListNamesAsync(_target, cancellationToken).ConfigureAwait(false), [], naming);
        var written = new List<string>();
        int skipped = 0;

        var temp = _repository.CreateTempDirectory(_logger);
        var tempRoot = temp.Path;
        try
        {
            var sourceSigChains = source.RemoteSignatureChains.OrderBy(c => c.StartSeconds).ToList();
            if (sourceSigChains.Count == 0)
            {
                ReplicateLog.NoOldSets(_logger);
                return new ReplicateResult { FilesWritten = written };
            }
            foreach (var chain in sourceSigChains)
            {
                var targetChain = target.RemoteSignatureChains.FirstOrDefault(c => c.StartSeconds == chain.StartSeconds);
                var present = targetChain == null ? [] : targetChain.Incrementals.Prepend(targetChain.FullSignatures).Select(s => Key(s.Parsed)).ToList();
                foreach (var (name, parsed) in chain.Incrementals.Prepend(chain.FullSignatures))
                {
                    if (parsed.EndTime >= time) continue;
                    if (present.Remove(Key(parsed)))
                    {
                        ReplicateLog.SignatureAlreadyThere(_logger, name);
                        skipped++;
                        continue;
                    }
                    ReplicateLog.Replicating(_logger, name);
                    var newName = writeCodec.Name(parsed.Kind, parsed.StartTime, parsed.EndTime).Format(naming);
                    await CopyFileAsync(name, parsed, readCodec, newName, writeCodec.DataEncoding, tempRoot, cancellationToken).ConfigureAwait(false);
                    written.Add(newName);
                }
            }

            foreach (var chain in source.Chains.OrderBy(c => c.StartSeconds))
            {
                var targetChain = target.Chains.FirstOrDefault(c => c.StartSeconds == chain.StartSeconds);
                var present = targetChain == null ? [] : targetChain.Sets.ToList();
                foreach (var set in chain.Sets)
                {
                    if (set.EndSeconds >= time) continue;
                    var same = present.FirstOrDefault(t => t.IsFull == set.IsFull && t.StartTime == set.StartTime && t.EndTime == set.EndTime && t.Volumes.Count == set.Volumes.Count);
                    if (same != null)
                    {
                        present.Remove(same);
                        ReplicateLog.SetAlreadyThere(_logger, set.ManifestName);
                        skipped++;
                        continue;
                    }
                    await CopySetAsync(set, readCodec, writeCodec, tempRoot, written, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            temp.Dispose();
        }
        return new ReplicateResult { FilesWritten = written, AlreadyReplicated = skipped };
    }

    private static async Task<List<string>> ListNamesAsync(IBackend backend, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var f in backend.ListAsync(cancellationToken).ConfigureAwait(false)) names.Add(f.Name);
        return names;
    }

    // duplicity compares parsed names without their suffixes.
    private static RemoteFileName Key(RemoteFileName parsed) => parsed with { IsEncrypted = false, IsCompressed = false };

    private async Task CopySetAsync(BackupSet set, ArchiveCodec readCodec, ArchiveCodec writeCodec, string tempRoot, List<string> written, CancellationToken cancellationToken)
    {
        var naming = _repository.Naming;
        if (set.ManifestName == null)
            throw new DuplicityException(DuplicityErrorCode.NoManifests, $"No manifest found for the backup set {set}.");
        var manifestParsed = RemoteFileName.TryParse(set.ManifestName, naming)!;
        Manifest sourceManifest;
        {
            var stored = await _source.GetAsync(set.ManifestName, cancellationToken).ConfigureAwait(false);
            await using var storedDisposal = stored.ConfigureAwait(false);
            var plain = await readCodec.OpenReadAsync(manifestParsed, stored, cancellationToken).ConfigureAwait(false);
            await using var plainDisposal = plain.ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await plain.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            sourceManifest = ManifestParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), readFilelist: false);
        }

        var volumeKind = set.IsFull ? RemoteFileKind.FullVolume : RemoteFileKind.IncrementalVolume;
        using var manifestBytes = new MemoryStream();
        var manifest = new ManifestWriter(manifestBytes);
        foreach (var (number, name) in set.Volumes)
        {
            if (!sourceManifest.Volumes.TryGetValue(number, out var info))
                throw new ArchiveCorruptException($"The manifest {set.ManifestName} has no entry for volume {number}.");
            ReplicateLog.Replicating(_logger, name);
            var parsed = RemoteFileName.TryParse(name, naming)!;
            var newName = writeCodec.Name(volumeKind, set.StartSeconds, set.EndSeconds, number).Format(naming);
            var sha1 = await CopyFileAsync(name, parsed, readCodec, newName, writeCodec.DataEncoding, tempRoot, cancellationToken, info.Hashes.TryGetValue("SHA1", out var expected) ? expected : null).ConfigureAwait(false);
            written.Add(newName);
            var copy = new ManifestVolume { Number = number, StartPath = info.StartPath, StartBlock = info.StartBlock, EndPath = info.EndPath, EndBlock = info.EndBlock };
            foreach (var (type, hex) in info.Hashes) copy.SetHash(type, hex);
            copy.SetHash("SHA1", sha1);
            manifest.WriteVolume(copy);
        }

        // duplicity names (and gzips) the new manifest like a volume: .gz when compressing, .gpg when encrypting.
        var manifestKind = set.IsFull ? RemoteFileKind.FullManifest : RemoteFileKind.IncrementalManifest;
        var manifestName = new RemoteFileName(manifestKind, set.StartSeconds, set.EndSeconds, 0, writeCodec.Encrypt, !writeCodec.Encrypt && writeCodec.Compress).Format(naming);
        manifestBytes.Position = 0;
        await UploadEncodedAsync(manifestBytes, writeCodec.DataEncoding, manifestName, tempRoot, cancellationToken).ConfigureAwait(false);
        written.Add(manifestName);
    }

    /// <summary>Copies one file through plaintext; returns the SHA-1 of what was stored on the target.</summary>
    private async Task<string> CopyFileAsync(string name, RemoteFileName parsed, ArchiveCodec readCodec, string newName, VolumeEncoding encoding,
        string tempRoot, CancellationToken cancellationToken, string? expectedSha1 = null)
    {
        var downloaded = Path.Combine(tempRoot, $"src-{Guid.NewGuid():N}.tmp");
        try
        {
            {
                var stored = await _source.GetAsync(name, cancellationToken).ConfigureAwait(false);
                await using var storedDisposal = stored.ConfigureAwait(false);
                var file = PrivateFile.Open(downloaded, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                await using var fileDisposal = file.ConfigureAwait(false);
                var hashing = new HashingWriteStream(file);
                await using var hashingDisposal = hashing.ConfigureAwait(false);
                await stored.CopyToAsync(hashing, cancellationToken).ConfigureAwait(false);
                var actual = hashing.FinishHashHex();
                if (expectedSha1 != null && !string.Equals(actual, expectedSha1, StringComparison.OrdinalIgnoreCase))
                    throw new HashMismatchException(name, actual, expectedSha1);
            }
            var input = new FileStream(downloaded, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            await using var inputDisposal = input.ConfigureAwait(false);
            var plain = await readCodec.OpenReadAsync(parsed, input, cancellationToken).ConfigureAwait(false);
            await using var plainDisposal = plain.ConfigureAwait(false);
            return await UploadEncodedAsync(plain, encoding, newName, tempRoot, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(downloaded);
        }
    }

    /// <summary>Encodes plaintext into a temporary file, uploads it and returns its SHA-1.</summary>
    private async Task<string> UploadEncodedAsync(Stream plain, VolumeEncoding encoding, string remoteName, string tempRoot, CancellationToken cancellationToken)
    {
        var encodedPath = Path.Combine(tempRoot, $"dst-{Guid.NewGuid():N}.tmp");
        try
        {
            string sha1;
            var output = PrivateFile.Open(encodedPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            await using (output.ConfigureAwait(false))
            {
                var hashing = new HashingWriteStream(output);
                var layer = encoding.Wrap(hashing);
                await using (layer.ConfigureAwait(false))
                    await plain.CopyToAsync(layer, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                sha1 = hashing.FinishHashHex();
                await hashing.DisposeAsync().ConfigureAwait(false);
            }
            var content = File.OpenRead(encodedPath);
            await using (content.ConfigureAwait(false))
                await _target.PutAsync(remoteName, content, cancellationToken).ConfigureAwait(false);
            return sha1;
        }
        finally
        {
            File.Delete(encodedPath);
        }
    }
}
