namespace Duplicity.Archive.Volumes;

/// <summary>
/// Reads what follows a volume's tar end block, so that the integrity checks at the very end of its
/// stream (OpenPGP MDC and signature, gzip CRC and length) run before the volume counts as good.
/// </summary>
internal static class VolumeDrain
{
    /// <summary>Slack for tar record padding and small trailers beyond the stored length.</summary>
    private const long Slack = 1 << 20;

    /// <summary>
    /// Reads <paramref name="plaintext"/> to its end. duplicity pads gpg volumes with incompressible
    /// bytes, so a legitimate trailer is never longer than the stored file; more than that (plus
    /// <see cref="Slack"/>) is a decompression bomb and is refused without reading on.
    /// </summary>
    /// <returns>The number of bytes that followed.</returns>
    /// <exception cref="ArchiveCorruptException">The trailer inflates beyond the stored length, or a check at the end failed.</exception>
    public static long ReadToEnd(Stream plaintext, long storedLength, byte[] scratch)
    {
        long limit = storedLength >= long.MaxValue - Slack ? long.MaxValue : storedLength + Slack;
        long total = 0;
        int n;
        while ((n = plaintext.Read(scratch, 0, scratch.Length)) > 0)
        {
            total += n;
            if (total > limit)
                throw new ArchiveCorruptException($"Volume data after the tar end inflates beyond {limit} bytes (stored file: {storedLength} bytes).");
        }
        return total;
    }
}
