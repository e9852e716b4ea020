using System.Security.Cryptography;
using Duplicity.IO;

namespace Duplicity.Archive.Volumes;

/// <summary>
/// A write-only pass-through stream that hashes (SHA-1) and counts every byte written to the inner
/// stream, so a volume's manifest hash is computed while the volume is written, not by re-reading it.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : WriteOnlyStream
{
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private long _written;

    /// <summary>Bytes written so far; safe to read from another thread.</summary>
    public long BytesWritten => Volatile.Read(ref _written);

    /// <summary>Lower-case hex SHA-1 of everything written (call once, at the end).</summary>
    public string FinishHashHex() => Convert.ToHexStringLower(_sha1.GetHashAndReset());

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _sha1.AppendData(buffer);
        Volatile.Write(ref _written, _written + buffer.Length);
    }

    public override void Flush() => inner.Flush();

    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha1.Dispose();
        base.Dispose(disposing);
    }
}
