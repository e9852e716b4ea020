using System.Runtime.InteropServices;
using System.Text;
using Duplicity.Archive.Volumes;
using Duplicity.Files;

namespace Duplicity.IO;

/// <summary>Writes that must survive a crash of the process or the machine: data flushed to disk, renames made durable.</summary>
internal static partial class DurableFiles
{
    /// <summary>Gzips <paramref name="source"/> into a new file <paramref name="destination"/> and flushes it to disk.</summary>
    public static async Task GzipAsync(string source, string destination, CancellationToken cancellationToken)
    {
        {
            var input = File.OpenRead(source);
            await using var inputDisposal = input.ConfigureAwait(false);
            var output = PrivateFile.Open(destination, FileMode.CreateNew, FileAccess.Write);
            await using var outputDisposal = output.ConfigureAwait(false);
            var gzip = VolumeEncoding.Gzip.Wrap(output);
            await using var gzipDisposal = gzip.ConfigureAwait(false);
            await input.CopyToAsync(gzip, cancellationToken).ConfigureAwait(false);
        }
        FlushFile(destination);
    }

    /// <summary>Flushes a closed file's data to disk.</summary>
    public static void FlushFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Makes the renames and creations inside <paramref name="directory"/> durable (fsync of the folder); best effort.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = OpenDirectory(Encoding.UTF8.GetBytes(directory + "\0"));
        if (fd < 0) return;
        _ = Fsync(fd);
        _ = Close(fd);
    }

    private static unsafe int OpenDirectory(byte[] path)
    {
        fixed (byte* p = path) return Open(p, PosixNative.O_RDONLY | PosixNative.O_DIRECTORY | PosixNative.O_CLOEXEC, 0);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static unsafe partial int Open(byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
