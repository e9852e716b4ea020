using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Archive.Signatures;

/// <summary>
/// The signature state of a chain at a time: the full-signatures archive merged with the
/// new-signatures archives after it, in index order. For each path the newest archive that has it
/// wins, and a winning <c>deleted/</c> entry means the object does not exist (it is skipped).
/// </summary>
/// <remarks>Streams every archive once, in step; only the winning entry's signature is held in memory.</remarks>
internal sealed class CombinedSignatureReader : IDisposable
{
    private readonly List<Source> _sources;

    /// <param name="archives">Plaintext signature tar streams, oldest first; they are disposed with the reader.</param>
    public CombinedSignatureReader(IEnumerable<Stream> archives)
    {
        _sources = archives.Select(s => new Source(new TarReader(s))).ToList();
    }

    /// <summary>The next existing object in index order, or null at the end.</summary>
    public SignatureEntry? Next()
    {
        while (true)
        {
            foreach (var s in _sources) s.EnsureHead();
            Source? winner = null;
            IndexPath min = default;
            foreach (var s in _sources)
            {
                if (s.Head == null) continue;
                int c = winner == null ? -1 : s.HeadName.Index.CompareTo(min);
                if (winner == null || c < 0) { winner = s; min = s.HeadName.Index; }
                else if (c == 0) winner = s; // later archives are newer
            }
            if (winner == null) return null;

            SignatureEntry? result = null;
            foreach (var s in _sources)
            {
                if (s.Head == null || s.HeadName.Index != min) continue;
                if (s == winner && s.HeadName.Kind != DifftarEntryKind.Deleted)
                {
                    byte[]? data = null;
                    if (s.HeadName.Kind == DifftarEntryKind.Signature)
                    {
                        if (s.Head.Size > Array.MaxLength) throw new ArchiveCorruptException($"Signature of {min} is too large.");
                        data = ReadData(s.Reader, (int)s.Head.Size, min);
                    }
                    result = new SignatureEntry(min, s.HeadName.Kind, s.Head, data);
                }
                s.Advance();
            }
            if (result != null) return result;
        }
    }

    /// <summary>
    /// Reads an entry's data into an array that grows with what actually arrives, so a header that
    /// claims gigabytes in a truncated archive does not allocate them up front.
    /// </summary>
    private static byte[] ReadData(TarReader reader, int size, IndexPath index)
    {
        const int Step = 1 << 20;
        var data = new byte[Math.Min(size, Step)];
        int read = 0;
        while (read < size)
        {
            if (read == data.Length) Array.Resize(ref data, (int)Math.Min(size, 2L * data.Length));
            int n = reader.ReadData(data.AsSpan(read));
            if (n == 0) throw new ArchiveCorruptException($"Signature archive ends inside the signature of {index}.");
            read += n;
        }
        return data;
    }

    public void Dispose()
    {
        foreach (var s in _sources) s.Reader.Dispose();
    }

    private sealed class Source(TarReader reader)
    {
        private bool _needsRead = true;
        private IndexPath? _previous;
        public TarReader Reader { get; } = reader;
        public TarEntryHeader? Head { get; private set; }
        public DifftarEntryName HeadName { get; private set; }

        public void EnsureHead()
        {
            if (!_needsRead) return;
            _needsRead = false;
            Head = Reader.Next();
            if (Head != null)
            {
                HeadName = DifftarEntryName.Parse(Head.Name);
                if (HeadName.Kind is not (DifftarEntryKind.Signature or DifftarEntryKind.Snapshot or DifftarEntryKind.Deleted))
                    throw new ArchiveCorruptException($"Unexpected entry {Head.Describe()} in a signature archive.");
                // The merge relies on index order; out of order, a signature would be paired with the wrong file.
                if (_previous is { } previous && HeadName.Index.CompareTo(previous) <= 0)
                    throw new ArchiveCorruptException($"Signature archive out of order: {HeadName.Index} after {previous}.");
                _previous = HeadName.Index;
            }
        }

        public void Advance() => _needsRead = true;
    }
}
