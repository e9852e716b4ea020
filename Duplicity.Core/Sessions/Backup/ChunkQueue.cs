using Duplicity.IO;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// Collects a delta as it is generated and cuts it into the 64 KiB pieces a volume stores
/// (multivol chunks); full pieces wait here until the producer writes them out.
/// </summary>
internal sealed class ChunkQueue : WriteOnlyStream
{
    public const int ChunkSize = 65536;
    private readonly Queue<byte[]> _full = new();
    private byte[] _current = new byte[ChunkSize];
    private int _length;

    public long TotalBytes { get; private set; }

    private readonly Stack<byte[]> _spare = new();

    public bool TryDequeueFull(out byte[] chunk) => _full.TryDequeue(out chunk!);

    /// <summary>Hands back a dequeued chunk once its bytes were written out, so the next one reuses it.</summary>
    public void Recycle(byte[] chunk) => _spare.Push(chunk);

    /// <summary>The bytes after the last full chunk (the final, shorter piece; possibly empty).</summary>
    public ReadOnlyMemory<byte> Remainder => _current.AsMemory(0, _length);

    public void Reset()
    {
        _full.Clear();
        _length = 0;
        TotalBytes = 0;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        TotalBytes += buffer.Length;
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, ChunkSize - _length);
            buffer[..n].CopyTo(_current.AsSpan(_length));
            _length += n;
            buffer = buffer[n..];
            if (_length == ChunkSize)
            {
                _full.Enqueue(_current);
                _current = _spare.TryPop(out var spare) ? spare : new byte[ChunkSize];
                _length = 0;
            }
        }
    }

    public override long Length => TotalBytes;
    public override long Position { get => TotalBytes; set => throw new NotSupportedException(); }
    public override void SetLength(long value) => throw new NotSupportedException();
}
