using Duplicity.Archive.Tar;

namespace Duplicity.Sessions.Backup;

/// <summary>Writes a signature archive (a complete tar file) entry by entry to a stream.</summary>
internal sealed class SignatureTarWriter(Stream output)
{
    private long _position;

    public void WriteEntry(TarEntryHeader header, SpillBuffer? data)
    {
        TarHeaderWriter.Write(header, output);
        _position += TarHeaderWriter.GetLength(header);
        if (data == null) return;
        data.CopyContentTo(output);
        _position += data.Length;
        TarHeaderWriter.WritePadding(output, data.Length);
        _position += TarHeaderWriter.GetPaddingLength(data.Length);
    }

    /// <summary>Ends the archive as Python's tarfile does (two zero blocks, padded to a whole record).</summary>
    public void Complete()
    {
        TarHeaderWriter.WriteEndOfArchive(output, _position);
        output.Flush();
    }
}
