using Duplicity.Archive.Tar;
using Duplicity.Files;
using Duplicity.Rsync;

namespace Duplicity.Archive.Signatures;

/// <summary>
/// The signature state of a chain at a time: the full-signatures archive merged with the
/// new-signatures archives after it, in index order. For each path the newest archive that has it
/// wins, and a winning <c>deleted/</c> entry means the object does not exist (it is skipped).
/// </summary>
/// <remarks>Streams every archive once, in step; only the winning entry's parsed signature is held in memory.</remarks>
internal sealed class CombinedSignatureReader : IDisposable
{
    private readonly List<Source> _sources;
    private readonly bool _parseSignatures;
    private readonly string? _spillDirectory;
    private readonly byte[] _chunk = new byte[64 * 1024];

    /// <param name="archives">Plaintext signature tar streams, oldest first; they are disposed with the reader.</param>
    /// <param name="parseSignatures">False when only paths and metadata are needed (listing): signatures are skipped unread.</param>
    /// <param name="spillDirectory">
    /// A private temporary folder for the strong sums of large signatures (see <see cref="Signature"/>); null keeps
    /// them in memory. The entries' signatures are then the caller's to dispose.
    /// </param>
    public CombinedSignatureReader(IEnumerable<Stream> archives, bool parseSignatures = true, string? spillDirectory = null)
    {
        _sources = archives.Select(s => new Source(new TarReader(s))).ToList();
        _parseSignatures = parseSignatures;
        _spillDirectory = spillDirectory;
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
                    Signature? signature = null;
                    if (s.HeadName.Kind == DifftarEntryKind.Signature && _parseSignatures)
                    {
                        // Parsed as it streams by: memory follows the blocks actually present, never the header's size.
                        using var data = s.Reader.OpenData();
                        signature = Signature.Read(data, _chunk, _spillDirectory);
                    }
                    result = new SignatureEntry(min, s.HeadName.Kind, s.Head, signature);
                }
                s.Advance();
            }
            if (result != null) return result;
        }
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
