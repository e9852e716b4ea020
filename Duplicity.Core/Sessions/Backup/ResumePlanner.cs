using System.Security.Cryptography;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Archive.Volumes;
using Duplicity.Collections;
using Duplicity.Diagnostics;
using Duplicity.Repository;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Backup;

/// <summary>How an interrupted set continues: its partial manifest cut to the kept volumes, where the entry stream resumes, and the signatures its deltas build on.</summary>
/// <remarks><c>Checkpoint</c> is when the interrupted run last recorded a stored volume (its partial manifest's last write).</remarks>
internal sealed record ResumePlan(BackupSet Set, Manifest Manifest, ResumePosition Position, IReadOnlyList<string> PreviousSignatures, DateTimeOffset Checkpoint);

/// <summary>
/// Decides whether and where the next backup resumes the set an interrupted run left (the state on
/// disk is duplicity's: volumes on the backend, the partial manifest in the archive dir), with
/// duplicity's rules: the set keeps its time and kind whatever mode was asked; the volumes counted on
/// the backend are kept but the last one, which is re-checked against the manifest's hash and written
/// again when it does not match; manifest entries beyond that are dropped; a set that keeps no volume
/// is deleted and a new one starts. Resuming refuses when the source or the encryption no longer fit.
/// </summary>
internal sealed class ResumePlanner(BackupRepository repository, ArchiveCodec codec, BackupOptions options, ILogger logger)
{
    /// <summary>The plan, or null when nothing is resumed; <c>Discarded</c> is true when a partial set was deleted (the status is stale).</summary>
    public async Task<(ResumePlan? Plan, bool Discarded)> PlanAsync(CollectionStatus status, CancellationToken cancellationToken)
    {
        if (status.InterruptedSet is not { } set) return (null, false);
        var cache = repository.Cache;
        string manifestPath = cache.PathOf(set.LocalPartialManifestName!);
        var checkpoint = new DateTimeOffset(File.GetLastWriteTimeUtc(manifestPath));
        var manifest = ManifestParser.Parse(await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false), readFilelist: false);
        ManifestSourceCheck.ThrowIfMismatch(manifest, options);
        BackupLog.ResumingPartialSet(logger, set.IsFull, set.EndTime);

        // Only the volumes stored with all before them count. Uploads run concurrently, so a failed one
        // can leave later volumes stored after the gap (1, 2, 4, 5 with 3 missing); counted, they would
        // outnumber what the manifest lists and the whole set would be thrown away.
        int stored = StoredPrefix(set);
        int listed = manifest.Volumes.Count;
        int kept = stored > 0 && await LastStoredVolumeMatchesAsync(set, manifest, stored, cancellationToken).ConfigureAwait(false) ? stored : stored - 1;
        if (kept <= 0 || listed < kept)
        {
            BackupLog.PartialSetDiscarded(logger, listed, stored);
            await DeleteSetAsync(set, cancellationToken).ConfigureAwait(false);
            return (null, true);
        }
        if (listed > kept)
        {
            BackupLog.VolumesNotStored(logger, kept + 1, listed);
            foreach (var number in manifest.Volumes.Keys.Where(n => n > kept).ToList()) manifest.Volumes.Remove(number);
        }
        await CheckEncryptionAsync(set, cancellationToken).ConfigureAwait(false);
        // The volumes past the gap go: the resumed run writes them again, and one it no longer reaches
        // (the source past the position shrank) would stay as a volume the set's manifest does not list.
        var strays = set.Volumes.Where(v => v.Key > stored).Select(v => v.Value).ToList();
        if (strays.Count > 0) await repository.Backend.DeleteAsync(strays, cancellationToken).ConfigureAwait(false);

        var last = manifest.Volumes[kept];
        var position = new ResumePosition(kept, last.EndPath, last.EndBlock ?? 0);
        BackupLog.RestartingAfterVolume(logger, kept, position.LastIndex, position.LastBlock);
        return (new ResumePlan(set, manifest, position, set.IsFull ? [] : PreviousSignatures(status, set), checkpoint), false);
    }

    /// <summary>How many volumes, from volume 1 on, are on the backend without a gap.</summary>
    private static int StoredPrefix(BackupSet set)
    {
        int n = 0;
        while (set.Volumes.ContainsKey(n + 1)) n++;
        return n;
    }

    /// <summary>
    /// Whether the last stored volume is whole: its stored bytes hash to what the manifest says. A run
    /// stopped during that upload may have left it short, so without this check it is written again.
    /// </summary>
    private async Task<bool> LastStoredVolumeMatchesAsync(BackupSet set, Manifest manifest, int stored, CancellationToken cancellationToken)
    {
        if (!manifest.Volumes.TryGetValue(stored, out var entry) || !entry.Hashes.TryGetValue("SHA1", out var expected)
            || !set.Volumes.TryGetValue(stored, out var name))
            return false;
        var content = await repository.Backend.GetAsync(name, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            // SHA-1 because the manifest records it (duplicity's format), not for security.
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) sha1.AppendData(buffer, 0, n);
            return string.Equals(Convert.ToHexStringLower(sha1.GetHashAndReset()), expected, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// As duplicity: the kept volumes must have been written with this run's settings (encrypted or
    /// not, compressed or not), and a run that can decrypt (passphrase, or a signing key) proves its key
    /// on volume 1. A public-key backup without signing key resumes with the public key only.
    /// </summary>
    private async Task CheckEncryptionAsync(BackupSet set, CancellationToken cancellationToken)
    {
        if (!set.Volumes.TryGetValue(1, out var first) || RemoteFileName.TryParse(first, repository.Naming) is not { } parsed)
            throw new DuplicityException(DuplicityErrorCode.RestartFileNotFound, $"Volume 1 of the partial backup set {set} is not on the backend.");
        var expected = codec.Name(parsed.Kind, set.StartSeconds, set.EndSeconds, 1);
        if (parsed.IsEncrypted != expected.IsEncrypted || parsed.IsCompressed != expected.IsCompressed)
            throw new DuplicityException(DuplicityErrorCode.EncryptionMismatch, "Restarting backup, but current encryption settings do not match original settings");
        var encryption = repository.Options.Encryption;
        bool publicKeyOnly = encryption != null && (encryption.Recipients.Count + encryption.HiddenRecipients.Count) > 0 && encryption.SignKey == null;
        if (!codec.Encrypt || publicKeyOnly) return;
        var stored = await repository.Backend.GetAsync(first, cancellationToken).ConfigureAwait(false);
        await using (stored.ConfigureAwait(false))
        {
            var plain = await codec.OpenReadAsync(parsed, stored, cancellationToken).ConfigureAwait(false);
            await using (plain.ConfigureAwait(false))
                await plain.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The cached signature files up to the set's start: its own, if stored, are never a base for its deltas.</summary>
    private static List<string> PreviousSignatures(CollectionStatus status, BackupSet set)
    {
        var chain = status.LocalSignatureChains.LastOrDefault(c => c.StartSeconds == set.StartSeconds || c.Incrementals.Any(i => i.Parsed.EndTime == set.StartSeconds))
            ?? throw new DuplicityException(DuplicityErrorCode.NoSignatures,
                $"Cannot resume the partial backup set {set}: the signatures it builds on are not in the archive dir.");
        return chain.FileNamesAt(set.StartSeconds).ToList();
    }

    /// <summary>
    /// Deletes the interrupted set <paramref name="status"/> shows (a resume found its source changed):
    /// its volumes on the backend, those the stopped resume stored included, and its partial files.
    /// </summary>
    public async Task DiscardAsync(CollectionStatus status, CancellationToken cancellationToken)
    {
        if (status.InterruptedSet is { } set) await DeleteSetAsync(set, cancellationToken).ConfigureAwait(false);
        else PartialFiles.DeleteAll(repository, keep: null);
    }

    /// <summary>Deletes a partial set that cannot be resumed: its volumes on the backend, its partial files in the archive dir.</summary>
    private async Task DeleteSetAsync(BackupSet set, CancellationToken cancellationToken)
    {
        if (set.Volumes.Count > 0) await repository.Backend.DeleteAsync(set.Volumes.Values.ToList(), cancellationToken).ConfigureAwait(false);
        PartialFiles.DeleteAll(repository, keep: null);
    }
}
