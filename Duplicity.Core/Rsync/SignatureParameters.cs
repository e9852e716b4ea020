namespace Duplicity.Rsync;

/// <summary>
/// The librsync signature parameters duplicity 0.8.22 uses: MD4 strong sums cut to 8 bytes, the
/// "rollsum" weak sum, and a block length chosen from the file size.
/// </summary>
internal static class SignatureParameters
{
    /// <summary>Magic of an MD4 + rollsum signature (librsync <c>RS_MD4_SIG_MAGIC</c>), the only kind duplicity writes.</summary>
    public const uint Md4SignatureMagic = 0x72730136;

    /// <summary>Magic at the start of every delta (librsync <c>RS_DELTA_MAGIC</c>).</summary>
    public const uint DeltaMagic = 0x72730236;

    /// <summary>Bytes of the MD4 digest kept per block.</summary>
    public const int StrongSumLength = 8;

    /// <summary>Size of the signature header: magic, block length, strong sum length.</summary>
    public const int HeaderLength = 12;

    /// <summary>duplicity's default <c>--max-blocksize</c>.</summary>
    public const int DefaultMaxBlockSize = 2048;

    /// <summary>
    /// The block length duplicity picks for a file of <paramref name="fileSize"/> bytes: 512 below
    /// 1024000 bytes, else (size / 1024000) * 512 capped at <paramref name="maxBlockSize"/>.
    /// </summary>
    /// <param name="fileSize">File size in bytes, as stat reports it when the file is scanned.</param>
    /// <param name="maxBlockSize">duplicity's <c>--max-blocksize</c> (default 2048).</param>
    public static int BlockLengthFor(long fileSize, int maxBlockSize = DefaultMaxBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBlockSize);
        if (fileSize < 1024000)
        {
            return 512;
        }

        long scaled = fileSize / 1024000 * 512;
        return (int)Math.Min(scaled, maxBlockSize);
    }

    /// <summary>Size in bytes of the signature of a <paramref name="fileSize"/>-byte file: header plus 12 bytes per block.</summary>
    /// <param name="fileSize">File size in bytes.</param>
    /// <param name="blockLength">Block length of the signature.</param>
    public static long SignatureLength(long fileSize, int blockLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockLength);
        long blocks = fileSize / blockLength + (fileSize % blockLength == 0 ? 0 : 1);
        return HeaderLength + blocks * (4 + StrongSumLength);
    }
}
