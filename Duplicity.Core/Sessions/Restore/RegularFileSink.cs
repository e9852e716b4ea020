using System.Buffers;
using Duplicity.Files;
using Duplicity.IO;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// Where a restored regular file's content goes: held in memory while it is small, so that the whole
/// file can be handed to the tree writer in one piece (<see cref="IRestoreTreeWriter.WriteWholeFile"/>,
/// which creates it beside the archive's reading), and streamed to a file opened for it as soon as it
/// outgrows <see cref="Threshold"/>.
/// </summary>
internal sealed class RegularFileSink(IRestoreTreeWriter writer, IndexPath index) : WriteOnlyStream
{
    /// <summary>The largest file held whole in memory.</summary>
    internal const int Threshold = 128 * 1024;

    private byte[]? _buffer;
    private int _length;
    private IRestoreFileWriter? _file;
    private bool _done;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_file == null && !TryHold(buffer)) Spill();
        _file?.Stream.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_file == null && !TryHold(buffer.Span)) Spill();
        if (_file != null) await _file.Stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Creates the file under its name with its metadata (now, or queued when it was held whole).</summary>
    public void Commit(FileMetadata metadata)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        if (_file != null)
        {
            _file.Commit(metadata);
            return;
        }
        var data = _buffer ?? ArrayPool<byte>.Shared.Rent(1);
        _buffer = null;
        writer.WriteWholeFile(index, metadata, data, _length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _done = true;
            _file?.Dispose();
            _file = null;
            if (_buffer != null) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
        base.Dispose(disposing);
    }

    private bool TryHold(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > Threshold) return false;
        _buffer ??= ArrayPool<byte>.Shared.Rent(Threshold);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        return true;
    }

    /// <summary>Too big to hold: opens the file and writes what was held.</summary>
    private void Spill()
    {
        _file = writer.OpenRegularFileForWrite(index);
        if (_buffer != null)
        {
            _file.Stream.Write(_buffer, 0, _length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
