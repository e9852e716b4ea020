using Duplicity.Files;

namespace Duplicity.Archive.Tar;

/// <summary>
/// The name of an entry in a volume or signature archive: a kind prefix, the object's index and,
/// for multi-volume chunks, the chunk number (<c>multivol_snapshot/big.bin/3</c>).
/// </summary>
/// <param name="Kind">The entry kind.</param>
/// <param name="Index">The object's path relative to the backup root.</param>
/// <param name="ChunkNumber">The chunk number (1-based) of a multivol entry; 0 otherwise.</param>
internal readonly record struct DifftarEntryName(DifftarEntryKind Kind, IndexPath Index, int ChunkNumber = 0)
{
    /// <summary>True for the multivol kinds.</summary>
    public bool IsMultivol => Kind is DifftarEntryKind.MultivolSnapshot or DifftarEntryKind.MultivolDiff;

    /// <summary>
    /// Parses an entry name. <c>snapshot/./</c>, <c>snapshot/.</c> and <c>snapshot/</c> are the root;
    /// one trailing <c>/</c> (a directory) is dropped.
    /// </summary>
    /// <exception cref="ArchiveCorruptException">
    /// An unknown prefix, a malformed chunk suffix, or a hostile path: absolute, with an empty,
    /// <c>.</c> or <c>..</c> component, or with a NUL byte.
    /// </exception>
    public static DifftarEntryName Parse(ReadOnlySpan<byte> name)
    {
        if (name.Contains((byte)0)) throw Bad(name, "contains a NUL byte");
        DifftarEntryKind kind;
        ReadOnlySpan<byte> rest;
        if (TryStrip(name, "snapshot/"u8, out rest)) kind = DifftarEntryKind.Snapshot;
        else if (TryStrip(name, "diff/"u8, out rest)) kind = DifftarEntryKind.Diff;
        else if (TryStrip(name, "deleted/"u8, out rest)) kind = DifftarEntryKind.Deleted;
        else if (TryStrip(name, "signature/"u8, out rest)) kind = DifftarEntryKind.Signature;
        else if (TryStrip(name, "multivol_snapshot/"u8, out rest)) kind = DifftarEntryKind.MultivolSnapshot;
        else if (TryStrip(name, "multivol_diff/"u8, out rest)) kind = DifftarEntryKind.MultivolDiff;
        else throw Bad(name, "has an unrecognised prefix");

        int chunk = 0;
        if (kind is DifftarEntryKind.MultivolSnapshot or DifftarEntryKind.MultivolDiff)
        {
            int slash = rest.LastIndexOf((byte)'/');
            if (slash <= 0) throw Bad(name, "lacks a chunk number");
            ReadOnlySpan<byte> digits = rest[(slash + 1)..];
            if (digits.IsEmpty || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out chunk))
                throw Bad(name, "has a bad chunk number");
            rest = rest[..slash];
        }
        else if (!rest.IsEmpty && rest[^1] == (byte)'/')
        {
            rest = rest[..^1];
        }

        if (rest.IsEmpty || rest.SequenceEqual("."u8))
        {
            if (chunk != 0) throw Bad(name, "names the root as a chunk");
            return new DifftarEntryName(kind, IndexPath.Root, 0);
        }
        if (rest[0] == (byte)'/') throw Bad(name, "is absolute");
        foreach (Range r in rest.Split((byte)'/'))
        {
            ReadOnlySpan<byte> component = rest[r];
            if (component.IsEmpty) throw Bad(name, "has an empty component");
            if (component.SequenceEqual("."u8) || component.SequenceEqual(".."u8)) throw Bad(name, "has a '.' or '..' component");
        }
        return new DifftarEntryName(kind, IndexPath.FromBytes(rest), chunk);
    }

    /// <summary>
    /// The entry name as duplicity writes it. Directories end with <c>/</c>; the root is
    /// <c>snapshot/./</c> in volumes and <c>snapshot/</c> in signature archives.
    /// </summary>
    public byte[] Format(bool isDirectory, bool signatureArchive = false)
    {
        ReadOnlySpan<byte> prefix = Kind switch
        {
            DifftarEntryKind.Snapshot => "snapshot/"u8,
            DifftarEntryKind.Diff => "diff/"u8,
            DifftarEntryKind.Deleted => "deleted/"u8,
            DifftarEntryKind.Signature => "signature/"u8,
            DifftarEntryKind.MultivolSnapshot => "multivol_snapshot/"u8,
            _ => "multivol_diff/"u8,
        };
        ReadOnlySpan<byte> path = Index.IsRoot ? (signatureArchive ? ReadOnlySpan<byte>.Empty : "."u8) : Index.Bytes;
        Span<byte> chunkDigits = stackalloc byte[12];
        int chunkLength = 0;
        if (IsMultivol)
        {
            chunkDigits[0] = (byte)'/';
            ChunkNumber.TryFormat(chunkDigits[1..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            chunkLength = written + 1;
        }
        bool slash = isDirectory && !IsMultivol && !(signatureArchive && Index.IsRoot);
        var result = new byte[prefix.Length + path.Length + chunkLength + (slash ? 1 : 0)];
        prefix.CopyTo(result);
        path.CopyTo(result.AsSpan(prefix.Length));
        chunkDigits[..chunkLength].CopyTo(result.AsSpan(prefix.Length + path.Length));
        if (slash) result[^1] = (byte)'/';
        return result;
    }

    private static bool TryStrip(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix, out ReadOnlySpan<byte> rest)
    {
        rest = name.StartsWith(prefix) ? name[prefix.Length..] : default;
        return name.StartsWith(prefix);
    }

    private static ArchiveCorruptException Bad(ReadOnlySpan<byte> name, string why) =>
        new($"Tar entry \"{System.Text.Encoding.UTF8.GetString(name)}\" {why}.");
}
