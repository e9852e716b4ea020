using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Sessions.Backup;

/// <summary>Writes a signature archive (a complete tar file) entry by entry to a stream.</summary>
/// <param name="output">Where the archive goes.</param>
/// <param name="resumeCheck">For a resumed set: the entries its kept volumes stored are checked against the interrupted run's.</param>
internal sealed class SignatureTarWriter(Stream output, ResumeSignatureCheck? resumeCheck = null)
{
    private long _position;

    /// <exception cref="ResumeSourceChangedException">A resumed set's source changed before its resume position.</exception>
    public void WriteEntry(IndexPath index, TarEntryHeader header, SpillBuffer? data)
    {
        if (resumeCheck != null && resumeCheck.Covers(index)) resumeCheck.Check(index, header, data);
        _position += Write(output, header, data);
    }

    /// <summary>Ends the archive as Python's tarfile does (two zero blocks, padded to a whole record).</summary>
    /// <exception cref="ResumeSourceChangedException">A resumed set's source lost an entry before its resume position.</exception>
    public void Complete()
    {
        resumeCheck?.Finish();
        TarHeaderWriter.WriteEndOfArchive(output, _position);
        output.Flush();
    }

    private static long Write(Stream to, TarEntryHeader header, SpillBuffer? data)
    {
        TarHeaderWriter.Write(header, to);
        long length = TarHeaderWriter.GetLength(header);
        if (data == null) return length;
        data.CopyContentTo(to);
        TarHeaderWriter.WritePadding(to, data.Length);
        return length + data.Length + TarHeaderWriter.GetPaddingLength(data.Length);
    }
}
