using System.Security.Cryptography;
using Duplicity.Archive.Volumes;
using Duplicity.Backends;
using Duplicity.Diagnostics;
using Duplicity.IO;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// Fetches a set's volumes in order, checking each one's SHA-1 against the manifest before any of it
/// is used, and preparing the next volume while the current one is being applied.
/// </summary>
/// <remarks>
/// A seekable download (a local file) is hashed in place and then read again from the start; any
/// other stream is copied to a temporary file (deleted on close) while it is hashed.
/// With <c>skipBadVolumes</c> (duplicity's <c>--ignore-errors</c>), a volume whose hash does not match is
/// left out with a warning instead of failing the read, and the next volume follows.
/// </remarks>
internal sealed class VolumeFetcher(IBackend backend, IReadOnlyList<VolumeToFetch> volumes, string tempDirectory,
    bool skipBadVolumes = false, ILogger? logger = null) : IAsyncDisposable
{
    private const int BufferSize = 1 << 20;
    private int _next;
    private Task<Fetched>? _prefetch;

    /// <summary>A fetched volume's stream, or (left out) null with its name and calculated hash.</summary>
    private readonly record struct Fetched(Stream? Stream, string Name, string? Calculated, string? Expected, bool Verified = false, VolumeSeekPoint? Seek = null);
    private readonly List<string> _skipped = [];

    public int Downloaded { get; private set; }

    /// <summary>The volumes left out because their hash did not match, in order.</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>True when volumes were left out just before the volume (or the end) the last <see cref="NextAsync"/> returned.</summary>
    public bool GapBeforeLast { get; private set; }

    /// <summary>True when the volume last returned was checked against a manifest hash (the whole stored file).</summary>
    public bool LastVerified { get; private set; }

    /// <summary>Where reading of the volume last returned may begin (see <see cref="VolumeSeekIndex"/>); null: at its start.</summary>
    public VolumeSeekPoint? LastSeek { get; private set; }

    /// <summary>The stored name of the volume last returned.</summary>
    public string? LastName { get; private set; }

    /// <summary>
    /// Begins fetching and checking the first volume now, so that the sets of a chain download and hash
    /// their volumes side by side rather than one after another.
    /// </summary>
    public void Start(CancellationToken cancellationToken)
    {
        if (_prefetch == null && _next == 0 && volumes.Count > 0) _prefetch = FetchAsync(volumes[_next++], cancellationToken);
    }

    /// <summary>The next verified volume, positioned at its start (the caller disposes it), or null at the end.</summary>
    public async Task<Stream?> NextAsync(CancellationToken cancellationToken)
    {
        bool gap = false;
        while (true)
        {
            if (_next >= volumes.Count && _prefetch == null)
            {
                GapBeforeLast = gap;
                return null;
            }
            var current = _prefetch ?? FetchAsync(volumes[_next++], cancellationToken);
            _prefetch = _next < volumes.Count ? FetchAsync(volumes[_next++], cancellationToken) : null;
            var fetched = await current.ConfigureAwait(false);
            Downloaded++;
            if (fetched.Stream == null)
            {
                // Reported here, in volume order, not when the read-ahead found it.
                _skipped.Add(fetched.Name);
                if (logger != null) RestoreLog.VolumeSkipped(logger, fetched.Name, fetched.Calculated!, fetched.Expected!);
                gap = true;
                continue;
            }
            GapBeforeLast = gap;
            LastVerified = fetched.Verified;
            LastName = fetched.Name;
            // Only into a stored file read whole and matched against the manifest's hash.
            LastSeek = fetched.Verified && fetched.Stream.CanSeek ? fetched.Seek : null;
            return fetched.Stream;
        }
    }

    /// <summary>The volume, or null when it was left out (a bad hash and <c>skipBadVolumes</c>).</summary>
    private async Task<Fetched> FetchAsync(VolumeToFetch volume, CancellationToken cancellationToken)
    {
        var source = await backend.GetAsync(volume.Name, cancellationToken).ConfigureAwait(false);
        Stream? result = null;
        try
        {
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            var buffer = new byte[BufferSize];
            if (source.CanSeek)
            {
                // Nothing to check against (a manifest without hashes): the stored file is read only once, by the restore.
                if (volume.Sha1 == null) return new(source, volume.Name, null, null);
                result = source;
            }
            else
            {
                result = PrivateFile.Open(Path.Combine(tempDirectory, $"restore-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
                    FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            }
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha1.AppendData(buffer, 0, n);
                if (result != source) await result.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
            var actual = Convert.ToHexStringLower(sha1.GetHashAndReset());
            if (volume.Sha1 != null && !string.Equals(actual, volume.Sha1, StringComparison.OrdinalIgnoreCase))
            {
                if (!skipBadVolumes) throw new HashMismatchException(volume.Name, actual, volume.Sha1);
                if (result != source) await result.DisposeAsync().ConfigureAwait(false);
                await source.DisposeAsync().ConfigureAwait(false);
                return new(null, volume.Name, actual, volume.Sha1);
            }
            result.Position = 0;
            if (result != source) await source.DisposeAsync().ConfigureAwait(false);
            return new(result, volume.Name, null, null, Verified: volume.Sha1 != null, volume.Seek);
        }
        catch
        {
            if (result != null && result != source) await result.DisposeAsync().ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_prefetch != null)
        {
            try
            {
                if ((await _prefetch.ConfigureAwait(false)).Stream is { } stream) await stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception) { /* already failing or cancelled */ }
        }
    }
}

/// <summary>A volume a set reader needs: its stored name, the manifest's SHA-1 of it, and where reading may begin.</summary>
internal readonly record struct VolumeToFetch(string Name, string? Sha1, VolumeSeekPoint? Seek = null);
