using Duplicity.Archive.Tar;
using Duplicity.Archive.Volumes;
using Duplicity.Files;
using Duplicity.IO;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// Proves that a resumed set's source still holds what its kept volumes hold. The resumed run
/// produces the entry stream again from the start (signatures need every entry) and drops what the
/// kept volumes already store; each signature entry it writes for a dropped entry must equal, byte
/// for byte, the one the interrupted run wrote into its partial signature file. A file changed,
/// added or removed before the resume position since the interruption breaks that equality, and the
/// set would otherwise store one content and sign another — a chain whose later deltas do not apply
/// to what a restore rebuilds. The run then stops with <see cref="ResumeSourceChangedException"/>
/// and the session starts a new set instead.
/// </summary>
/// <remarks>
/// The previous file may end before the resume position: a file split across the last kept volume's
/// end is signed only once read to its end, and the last writes of a killed run may never have left
/// its buffers (duplicity's partial signature file lags by many entries). Past the previous file's
/// end each entry's modification time must not be later than the interrupted run's last checkpoint
/// (when its partial manifest was last written); a file changed there with its time set back, or
/// removed there, goes unseen — the limit of a time-based check, which the incremental comparison
/// shares.
/// </remarks>
internal sealed class ResumeSignatureCheck : IDisposable
{
    private readonly Stream _previousFile;
    private readonly TarReader _previous;
    private readonly ResumePosition _position;
    private readonly long _checkpointSeconds;
    private bool _finished;
    private bool _previousEnded;

    /// <param name="previous">The interrupted run's partial signature file (ours or duplicity's), read from its start.</param>
    /// <param name="position">Where the set resumes.</param>
    /// <param name="checkpoint">When the interrupted run last recorded a stored volume.</param>
    public ResumeSignatureCheck(Stream previous, ResumePosition position, DateTimeOffset checkpoint)
    {
        _previousFile = previous;
        _previous = new TarReader(previous, leaveOpen: true);
        _position = position;
        _checkpointSeconds = checkpoint.ToUnixTimeSeconds();
    }

    /// <summary>
    /// Whether the entry at <paramref name="index"/> was stored by a kept volume, so its signature
    /// entry is checked. The first entry past the resume position ends the check.
    /// </summary>
    public bool Covers(IndexPath index)
    {
        if (_finished) return false;
        if (index <= _position.LastIndex) return true;
        Finish();
        return false;
    }

    /// <summary>
    /// Checks one signature entry against the previous file's next one: the same name, type, mode,
    /// owner, time, link target and size, and the same signature bytes.
    /// </summary>
    /// <exception cref="ResumeSourceChangedException">The entry differs from the previous file's, or cannot be compared.</exception>
    public void Check(IndexPath index, TarEntryHeader header, SpillBuffer? data)
    {
        var previous = _previousEnded ? null : NextPrevious();
        bool ended = previous is null;
        if (previous != null)
        {
            if (!SameHeader(previous, header)) throw new ResumeSourceChangedException(index);
            if (data != null)
            {
                var sink = new ComparingSink(_previous);
                data.CopyContentTo(sink);
                if (sink.Differs) throw new ResumeSourceChangedException(index);
                ended = sink.Ended;
            }
        }
        if (!ended) return;
        // The previous file ends before this entry does (its last writes were still buffered when the
        // run stopped; duplicity's lags the most): from here only the time can tell, and the entry must
        // not be newer than the interrupted run's last checkpoint.
        _previousEnded = true;
        if (header.MTime > _checkpointSeconds) throw new ResumeSourceChangedException(index);
    }

    /// <summary>
    /// Called once the stream is past the resume position or has ended: no entry the kept volumes
    /// stored may be left unmatched in the previous file.
    /// </summary>
    /// <exception cref="ResumeSourceChangedException">The previous file signed an entry the source no longer has.</exception>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        if (_previousEnded || NextPrevious() is not { } next) return;
        // The entry at the position itself counts too when it was cut there: the kept volumes hold its
        // first blocks, and with the file gone nothing would ever complete them.
        var index = DifftarEntryName.Parse(next.Name).Index;
        if (index <= _position.LastIndex) throw new ResumeSourceChangedException(index);
    }

    public void Dispose()
    {
        _previous.Dispose();
        _previousFile.Dispose();
    }

    /// <summary>The previous file's next entry; null where it ends, cut off or not (it was being written when the run stopped).</summary>
    private TarEntryHeader? NextPrevious()
    {
        try
        {
            return _previous.Next();
        }
        catch (Exception e) when (e is ArchiveCorruptException or EndOfStreamException)
        {
            return null;
        }
    }

    private static bool SameHeader(TarEntryHeader a, TarEntryHeader b) =>
        a.Name.AsSpan().SequenceEqual(b.Name) && a.TypeFlag == b.TypeFlag && a.Mode == b.Mode && a.Uid == b.Uid && a.Gid == b.Gid
        && a.MTime == b.MTime && a.Size == b.Size && a.LinkName.AsSpan().SequenceEqual(b.LinkName)
        && a.DevMajor == b.DevMajor && a.DevMinor == b.DevMinor;

    /// <summary>A write-only stream that compares what it is given with the previous entry's data.</summary>
    private sealed class ComparingSink(TarReader expected) : WriteOnlyStream
    {
        private readonly byte[] _buffer = new byte[1 << 16];

        /// <summary>A byte differed.</summary>
        public bool Differs { get; private set; }

        /// <summary>The previous file ended inside the entry's data.</summary>
        public bool Ended { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty && !Differs && !Ended)
            {
                int n;
                try
                {
                    n = expected.ReadData(_buffer.AsSpan(0, Math.Min(buffer.Length, _buffer.Length)));
                }
                catch (Exception e) when (e is ArchiveCorruptException or EndOfStreamException)
                {
                    Ended = true;
                    return;
                }
                if (n == 0) Differs = true; // the sizes were compared: cannot happen unless the file lies
                else if (!_buffer.AsSpan(0, n).SequenceEqual(buffer[..n])) Differs = true;
                buffer = buffer[n..];
            }
        }

    }
}

/// <summary>A resumed set's source no longer matches what its kept volumes store (see <see cref="ResumeSignatureCheck"/>).</summary>
internal sealed class ResumeSourceChangedException(IndexPath index)
    : Exception($"The source changed at {index} since the interrupted backup stored it.")
{
    /// <summary>The first entry found changed.</summary>
    public IndexPath Index { get; } = index;
}
