using Duplicity.IO;

namespace Duplicity.Rsync;

/// <summary>
/// The strong sums of a large signature, kept in a private temporary file instead of memory. A 6 GiB file
/// has 3 million blocks, 24 MiB of strong sums: more than a third of what its signature costs in memory,
/// yet a delta reads them only when a window's weak sum matches, and then mostly in block order (an
/// unchanged run of the file), so a window of consecutive sums read at a time serves nearly every lookup.
/// </summary>
/// <remarks>Written once while the signature is parsed, then read; one reader at a time.</remarks>
internal sealed class SpilledStrongSums : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly FileStream _file;
    private readonly int _strongLength;
    private readonly byte[] _buffer;
    private int _buffered;
    private long _written;
    private long _windowStart = -1;
    private int _windowLength;

    private SpilledStrongSums(FileStream file, int strongLength)
    {
        _file = file;
        _strongLength = strongLength;
        // Whole sums only, so a window never splits one.
        _buffer = new byte[BufferBytes / strongLength * strongLength];
    }

    /// <summary>Creates the file (mode 0600, deleted when disposed) in <paramref name="directory"/>.</summary>
    public static SpilledStrongSums Create(string directory, int strongLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(strongLength, 1);
        var file = PrivateFile.Open(Path.Combine(directory, $"strong-sums-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 0, FileOptions.DeleteOnClose);
        return new SpilledStrongSums(file, strongLength);
    }

    /// <summary>Appends sums (whole ones, in block order) while the signature is parsed.</summary>
    public void Append(ReadOnlySpan<byte> sums)
    {
        while (!sums.IsEmpty)
        {
            if (_buffered == _buffer.Length) Flush();
            int n = Math.Min(sums.Length, _buffer.Length - _buffered);
            sums[..n].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += n;
            sums = sums[n..];
        }
    }

    /// <summary>Ends the writing; from here on only <see cref="Get"/>.</summary>
    public void CompleteWriting()
    {
        Flush();
        _windowStart = -1;
    }

    /// <summary>The strong sum of <paramref name="block"/>; the span is valid until the next call.</summary>
    /// <exception cref="IOException">The temporary file could not be read.</exception>
    public ReadOnlySpan<byte> Get(int block)
    {
        long offset = (long)block * _strongLength;
        if (_windowStart < 0 || offset < _windowStart || offset + _strongLength > _windowStart + _windowLength)
        {
            if (offset < 0 || offset + _strongLength > _written)
                throw new ArgumentOutOfRangeException(nameof(block), block, "No such block in the signature.");
            int want = (int)Math.Min(_buffer.Length, _written - offset);
            int got = 0;
            while (got < want)
            {
                int n = RandomAccess.Read(_file.SafeFileHandle, _buffer.AsSpan(got, want - got), offset + got);
                if (n == 0) throw new IOException("The temporary file of a signature's strong sums ended early.");
                got += n;
            }
            _windowStart = offset;
            _windowLength = got;
        }
        return _buffer.AsSpan((int)(offset - _windowStart), _strongLength);
    }

    /// <summary>Closes and deletes the file.</summary>
    public void Dispose() => _file.Dispose();

    private void Flush()
    {
        if (_buffered == 0) return;
        RandomAccess.Write(_file.SafeFileHandle, _buffer.AsSpan(0, _buffered), _written);
        _written += _buffered;
        _buffered = 0;
    }
}
