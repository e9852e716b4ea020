using System.Buffers;
using System.Globalization;
using System.Text;
using Duplicity.Files;

namespace Duplicity.Archive.Manifests;

/// <summary>
/// Writes a manifest the way a duplicity backup does, piece by piece as the backup proceeds: the
/// header first, then each volume as soon as it is finished, then the Filelist. The bytes equal
/// duplicity's. Each call writes its lines with one <see cref="Stream.Write(ReadOnlySpan{byte})"/>.
/// </summary>
internal sealed class ManifestWriter
{
    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public ManifestWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes <c>Hostname</c> and <c>Localdir</c> lines, each omitted when empty.</summary>
    public void WriteHeader(string? hostname, ReadOnlySpan<byte> localDir)
    {
        if (!string.IsNullOrEmpty(hostname))
        {
            Append("Hostname "u8);
            Append(Encoding.UTF8.GetBytes(hostname));
            Append("\n"u8);
        }
        if (!localDir.IsEmpty)
        {
            Append("Localdir "u8);
            Append(PathQuoting.Quote(localDir));
            Append("\n"u8);
        }
        Flush();
    }

    /// <summary>Writes one volume block.</summary>
    public void WriteVolume(ManifestVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        Append("Volume "u8);
        AppendNumber(volume.Number);
        Append(":\n    StartingPath   "u8);
        AppendIndex(volume.StartPath, volume.StartBlock);
        Append("\n    EndingPath     "u8);
        AppendIndex(volume.EndPath, volume.EndBlock);
        foreach (var (type, hex) in volume.Hashes)
        {
            Append("\n    Hash "u8);
            Append(Encoding.UTF8.GetBytes(type));
            Append(" "u8);
            Append(Encoding.UTF8.GetBytes(hex));
        }
        Append("\n"u8);
        Flush();
    }

    /// <summary>Writes the <c>Filelist</c> line and one line per entry.</summary>
    public void WriteFilelist(IReadOnlyCollection<ManifestFileChange> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Append("Filelist "u8);
        AppendNumber(entries.Count);
        Append("\n"u8);
        foreach (var entry in entries) FormatFilelistEntry(_buffer, entry.ChangeType, entry.Path);
        Flush();
    }

    /// <summary>
    /// Writes the <c>Filelist</c> line for <paramref name="count"/> entries, then lets <paramref name="copyEntries"/>
    /// write the entries, as <see cref="FormatFilelistEntry"/> formatted them, to the manifest.
    /// </summary>
    public void WriteFilelist(long count, Action<Stream> copyEntries)
    {
        ArgumentNullException.ThrowIfNull(copyEntries);
        Append("Filelist "u8);
        AppendNumber(count);
        Append("\n"u8);
        Flush();
        copyEntries(_output);
    }

    /// <summary>One Filelist line: the change type padded to 7, two spaces, the quoted path.</summary>
    public static void FormatFilelistEntry(IBufferWriter<byte> output, string changeType, ReadOnlySpan<byte> path)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("    "u8);
        byte[] type = Encoding.UTF8.GetBytes(changeType);
        output.Write(type);
        for (int i = type.Length; i < 7; i++) output.Write(" "u8);
        output.Write("  "u8);
        output.Write(PathQuoting.Quote(path));
        output.Write("\n"u8);
    }

    /// <summary>
    /// Writes a whole manifest in a backup's order: header, volumes by number, then the Filelist if
    /// <see cref="Manifest.Filelist"/> is not null.
    /// </summary>
    public static void Write(Manifest manifest, Stream output)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var writer = new ManifestWriter(output);
        writer.WriteHeader(manifest.Hostname, manifest.LocalDir);
        foreach (var volume in manifest.Volumes.Values) writer.WriteVolume(volume);
        if (manifest.Filelist is not null) writer.WriteFilelist(manifest.Filelist);
    }

    /// <summary>The bytes <see cref="Write(Manifest, Stream)"/> produces.</summary>
    public static byte[] ToBytes(Manifest manifest)
    {
        using var ms = new MemoryStream();
        Write(manifest, ms);
        return ms.ToArray();
    }

    private void AppendIndex(IndexPath index, int? block)
    {
        if (index.IsRoot) Append("."u8);
        else Append(PathQuoting.Quote(index.Bytes));
        Append(" "u8);
        if (block is int b) AppendNumber(b);
        else Append(" "u8);
    }

    private void AppendNumber(long n)
    {
        Span<byte> digits = stackalloc byte[20];
        n.TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
        Append(digits[..written]);
    }

    private void Append(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    private void Flush()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}
