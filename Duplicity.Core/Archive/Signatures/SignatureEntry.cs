using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Archive.Signatures;

/// <summary>
/// One object of a signature archive: its path, its metadata header, and for regular files the
/// librsync signature of its content.
/// </summary>
internal sealed record SignatureEntry(IndexPath Index, DifftarEntryKind Kind, TarEntryHeader Header, byte[]? SignatureData)
{
    /// <summary>The object's metadata (as stored; owner ids as recorded on the backing-up machine).</summary>
    public FileMetadata Metadata => Header.ToMetadata();
}
