using System.Text;

namespace Duplicity.Archive.Manifests;

/// <summary>
/// The part of a manifest before its Filelist: host, folder and volume list. Restore, verify and the
/// source check need only this, and the Filelist grows with the number of files (tens of megabytes at
/// a million), so it is not read, not held and not parsed.
/// </summary>
internal static class ManifestHead
{
    // Far above any real head (a volume takes ~150 bytes); a manifest without a Filelist line this
    // long is not one duplicity wrote.
    private const int MaxHeadBytes = 64 << 20;

    private static readonly byte[] Marker = Encoding.ASCII.GetBytes("\nfilelist");

    /// <summary>Reads <paramref name="manifest"/> up to its Filelist line (or its end) and parses that part.</summary>
    /// <exception cref="ArchiveCorruptException">The head is malformed or unreasonably long.</exception>
    public static async Task<Manifest> ReadAsync(Stream manifest, CancellationToken cancellationToken)
    {
        using var head = new MemoryStream();
        var buffer = new byte[1 << 16];
        int searched = 0;
        while (true)
        {
            int n = await manifest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            head.Write(buffer.AsSpan(0, n));   // memory: nothing to await
            var data = head.GetBuffer().AsSpan(0, (int)head.Length);
            int at = IndexOfMarker(data, Math.Max(0, searched - Marker.Length));
            if (at >= 0)
            {
                head.SetLength(at + 1);   // keep the newline that ends the last volume line
                break;
            }
            searched = data.Length;
            if (head.Length > MaxHeadBytes) throw new ArchiveCorruptException("The manifest has no Filelist within 64 MiB.");
        }
        return ManifestParser.Parse(head.GetBuffer().AsSpan(0, (int)head.Length), readFilelist: false);
    }

    private static int IndexOfMarker(ReadOnlySpan<byte> data, int from)
    {
        for (int i = from; i + Marker.Length <= data.Length; i++)
        {
            if (data[i] != '\n') continue;
            bool match = true;
            for (int k = 1; k < Marker.Length && match; k++)
                match = (data[i + k] | 0x20) == Marker[k];
            if (match) return i;
        }
        return -1;
    }
}
