using Duplicity.IO;

namespace Duplicity.Crypto;

/// <summary>
/// Wraps BouncyCastle's BZip2 decoder, which reports some corrupt input with state and index errors
/// instead of an I/O error: those become <see cref="InvalidDataException"/>, which the decryptor
/// reports as a corrupt archive like any other bad compressed data.
/// </summary>
internal sealed class DecompressorGuardStream : ReadOnlyStream
{
    private readonly Stream _inner;

    private DecompressorGuardStream(Stream inner) => _inner = inner;

    /// <summary>Opens the decoder (which already decodes the first block) under the same translation.</summary>
    public static Stream Open(Func<Stream> open) => Guard(() => new DecompressorGuardStream(open()));

    public override int Read(byte[] buffer, int offset, int count) => Guard(() => _inner.Read(buffer, offset, count));

    public override int ReadByte() => Guard(_inner.ReadByte);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException("Corrupt compressed data: " + e.Message, e);
        }
    }
}
