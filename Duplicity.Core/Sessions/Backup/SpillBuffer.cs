using Duplicity.IO;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// A write-then-read buffer that stays in memory while small and moves to a temporary file when it
/// grows, so a huge file's signature never has to sit in memory.
/// </summary>
internal sealed class SpillBuffer(string tempDirectory, int memoryLimit = 1 << 20) : Stream
{
    private readonly MemoryStream _memory = new();
    private FileStream? _file;

    public override long Length => _file?.Length ?? _memory.Length;

    /// <summary>Empties the buffer for reuse.</summary>
    public void Reset()
    {
        _memory.SetLength(0);
        if (_file != null) { _file.SetLength(0); _file.Position = 0; }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_file == null && _memory.Length + buffer.Length > memoryLimit)
        {
            _file = PrivateFile.Open(Path.Combine(tempDirectory, $"spill-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        }
        if (_file != null)
        {
            if (_memory.Length > 0) { _file.Write(_memory.GetBuffer(), 0, (int)_memory.Length); _memory.SetLength(0); }
            _file.Write(buffer);
        }
        else
        {
            _memory.Write(buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Copies the whole content to <paramref name="destination"/>.</summary>
    public void CopyContentTo(Stream destination)
    {
        if (_file == null) { destination.Write(_memory.GetBuffer(), 0, (int)_memory.Length); return; }
        _file.Flush();
        _file.Position = 0;
        _file.CopyTo(destination, 1 << 16);
        _file.Position = _file.Length;
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Position { get => Length; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _memory.Dispose(); _file?.Dispose(); }
        base.Dispose(disposing);
    }
}
