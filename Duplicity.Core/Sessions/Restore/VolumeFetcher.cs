using System.Security.Cryptography;
using Duplicity.Backends;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// Downloads a set's volumes in order to temporary files, checking each one's SHA-1 against the
/// manifest before it is used, and fetching the next volume while the current one is being applied.
/// </summary>
internal sealed class VolumeFetcher(IBackend backend, IReadOnlyList<(string Name, string? Sha1)> volumes, string tempDirectory) : IAsyncDisposable
{
    private int _next;
    private Task<string>? _prefetch;

    public int Downloaded { get; private set; }

    /// <summary>The next verified volume's temporary path (the caller deletes it), or null at the end.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken)
    {
        if (_next >= volumes.Count && _prefetch == null) return null;
        var current = _prefetch ?? DownloadAsync(volumes[_next++], cancellationToken);
        _prefetch = _next < volumes.Count ? DownloadAsync(volumes[_next++], cancellationToken) : null;
        var path = await current.ConfigureAwait(false);
        Downloaded++;
        return path;
    }

    private async Task<string> DownloadAsync((string Name, string? Sha1) volume, CancellationToken cancellationToken)
    {
        var path = Path.Combine(tempDirectory, $"restore-{Guid.NewGuid():N}.tmp");
        try
        {
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            await using (var source = await backend.GetAsync(volume.Name, cancellationToken).ConfigureAwait(false))
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    sha1.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
            }
            var actual = Convert.ToHexStringLower(sha1.GetHashAndReset());
            if (volume.Sha1 != null && !string.Equals(actual, volume.Sha1, StringComparison.OrdinalIgnoreCase))
                throw new HashMismatchException(volume.Name, actual, volume.Sha1);
            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_prefetch != null)
        {
            try { File.Delete(await _prefetch.ConfigureAwait(false)); } catch (Exception) { /* already failing or cancelled */ }
        }
    }
}
