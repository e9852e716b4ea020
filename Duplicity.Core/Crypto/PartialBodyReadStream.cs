using Duplicity.IO;

namespace Duplicity.Crypto;

/// <summary>
/// The body of a new-format OpenPGP packet read from the middle: <c>remaining</c> bytes are left in the
/// chunk the reader starts in (0: a length header comes first), and each header read after them says
/// how many follow, until a definite (final) length. Used to enter the literal data of a message we
/// wrote at a seek point, where no packet header is at hand. Disposing it disposes <c>inner</c> and
/// <c>owned</c> (the layers below that <c>inner</c> leaves open).
/// </summary>
internal sealed class PartialBodyReadStream(Stream inner, int remaining, IDisposable? owned = null) : ReadOnlyStream
{
    private long _remaining = remaining;
    private bool _final;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (_remaining == 0)
        {
            if (_final) return 0;
            ReadHeader();
        }
        int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        if (n == 0) throw OpenPgpDecryptor.Corrupt("the literal data ends inside a chunk");
        _remaining -= n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    // Everything below is decoding in memory over a local file: there is nothing to wait for.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    private void ReadHeader()
    {
        int first = ReadByteOf();
        if (first >= 224 && first < 255)
        {
            _remaining = 1L << (first & 0x1F);
            return;
        }
        _final = true;
        if (first < 192) _remaining = first;
        else if (first < 224) _remaining = ((first - 192) << 8) + ReadByteOf() + 192;
        else
        {
            long length = 0;
            for (int i = 0; i < 4; i++) length = (length << 8) | (uint)ReadByteOf();
            _remaining = length;
        }
    }

    private int ReadByteOf()
    {
        int b = inner.ReadByte();
        if (b < 0) throw OpenPgpDecryptor.Corrupt("the literal data ends inside a length header");
        return b;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owned?.Dispose();
        }
        base.Dispose(disposing);
    }
}
