using System.Buffers;
using Duplicity.Archive.Manifests;

namespace Duplicity.Sessions.Backup;

/// <summary>
/// The manifest's Filelist as a backup produces it: each change formatted at once into a buffer that
/// moves to a temporary file past a megabyte, so a million changed files cost no memory.
/// </summary>
internal sealed class FilelistSpool(string tempDirectory) : IDisposable
{
    private readonly SpillBuffer _lines = new(tempDirectory);
    private readonly ArrayBufferWriter<byte> _line = new(256);

    /// <summary>Entries added so far.</summary>
    public long Count { get; private set; }

    public void Add(string changeType, ReadOnlySpan<byte> path)
    {
        _line.ResetWrittenCount();
        ManifestWriter.FormatFilelistEntry(_line, changeType, path);
        _lines.Write(_line.WrittenSpan);
        Count++;
    }

    /// <summary>Writes the Filelist section into the manifest.</summary>
    public void WriteTo(ManifestWriter manifest) => manifest.WriteFilelist(Count, _lines.CopyContentTo);

    public void Dispose() => _lines.Dispose();
}
