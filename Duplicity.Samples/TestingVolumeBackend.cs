using Duplicity.Archive.Naming;
using Duplicity.Backends;

namespace Duplicity.Samples;

/// <summary>
/// duplicity's testing options on the backend: <c>--skip-volume N</c> leaves volume N unstored, which
/// duplicity's size check after the upload reports as a corrupted upload (exit 44);
/// <c>--fail-on-volume N</c> stops the backup with an assertion once volume N is stored (exit 30).
/// </summary>
internal sealed class TestingVolumeBackend(IBackend inner, int skipVolume, int failOnVolume) : DelegatingBackend(inner)
{
    /// <summary>Wraps <paramref name="backend"/> when either option was given.</summary>
    public static IBackend Wrap(IBackend backend, int skipVolume, int failOnVolume) =>
        skipVolume > 0 || failOnVolume > 0 ? new TestingVolumeBackend(backend, skipVolume, failOnVolume) : backend;

    public override async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        int volume = VolumeNumber(name);
        if (volume > 0 && volume == skipVolume)
            throw new DuplicityException(DuplicityErrorCode.VolumeWrongSize, $"File {name} was corrupted during upload.");
        await base.PutAsync(name, content, cancellationToken).ConfigureAwait(false);
        if (volume > 0 && volume == failOnVolume)
            throw new DuplicityException(DuplicityErrorCode.Unexpected, $"AssertionError: Forced assertion for testing at volume {volume}");
    }

    // "duplicity-full.T.vol3.difftar.gz" -> 3; 0 for anything that is not a volume.
    private static int VolumeNumber(string name)
    {
        int at = name.IndexOf(".vol", StringComparison.Ordinal);
        if (at < 0) return 0;
        int start = at + 4, end = start;
        while (end < name.Length && char.IsAsciiDigit(name[end])) end++;
        return end > start && end < name.Length && name[end] == '.' && int.TryParse(name.AsSpan(start, end - start), out var n) ? n : 0;
    }
}
