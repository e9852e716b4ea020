using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Samples.Output;

/// <summary>
/// duplicity's machine-readable log (<c>--log-file</c>, <c>--log-fd</c>): per message a line
/// <c>LEVEL code[ extra]</c>, the message's lines each prefixed with <c>. </c>, then an empty line.
/// </summary>
internal sealed class MachineLog(TextWriter writer, bool ownsWriter) : IDisposable
{
    /// <summary>Appends to a file, as duplicity's log file handler does.</summary>
    public static MachineLog OpenFile(string path) =>
        new(new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true }, true);

    /// <summary>Writes to an inherited file descriptor (left open for its owner).</summary>
    public static MachineLog OpenDescriptor(int fd)
    {
        var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, 1);
        return new MachineLog(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true }, true);
    }

    /// <summary>duplicity's level name for a numeric level (0 ERROR ... 9 DEBUG).</summary>
    public static string LevelName(int level) => level switch
    {
        >= 9 => "DEBUG",
        >= 5 => "INFO",
        >= 3 => "NOTICE",
        >= 1 => "WARNING",
        _ => "ERROR",
    };

    public void Write(int level, int code, string? extra, string message)
    {
        var record = new StringBuilder();
        record.Append(LevelName(level)).Append(' ').Append(code);
        if (!string.IsNullOrEmpty(extra)) record.Append(' ').Append(extra);
        if (message.Length > 0)
            foreach (var line in message.Split('\n')) record.Append("\n. ").Append(line);
        record.Append("\n\n");
        lock (this) writer.Write(record.ToString());
    }

    public void Dispose()
    {
        if (ownsWriter) writer.Dispose(); else writer.Flush();
    }
}
