using Duplicity.Archive.Tar;
using Duplicity.Files;
using Duplicity.Rsync;

namespace Duplicity.Archive.Signatures;

/// <summary>
/// One object of a signature archive: its path, its metadata header, and for regular files the
/// librsync signature of its content (null when the reader was asked not to parse signatures).
/// </summary>
internal sealed record SignatureEntry(IndexPath Index, DifftarEntryKind Kind, TarEntryHeader Header, Signature? Signature)
{
    /// <summary>The object's metadata (as stored; owner ids as recorded on the backing-up machine).</summary>
    public FileMetadata Metadata => Header.ToMetadata();
}
