using System.Text;
using Duplicity.Files;

namespace Duplicity.IO;

/// <summary>
/// Writes files that survive a crash or power loss whole or not at all: the content goes to a temporary
/// name in the same folder, is flushed to the disk (fsync), renamed over the final name, and then the
/// folder itself is flushed so the rename is on the disk too. A reader never sees a half-written file
/// under the final name, and a failure leaves the previous file of that name untouched.
/// </summary>
internal static class DurableFile
{
    /// <summary>
    /// Creates <paramref name="finalPath"/> (0600) from what <paramref name="write"/> writes to the stream it
    /// is given. The callback may dispose the stream (e.g. through a compressing layer) or leave it open.
    /// On any failure the temporary file is removed and nothing under <paramref name="finalPath"/> changes.
    /// </summary>
    public static async Task WriteAsync(string finalPath, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var tempPath = TemporaryPathFor(finalPath);
        try
        {
            var file = PrivateFile.Open(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            await using (file.ConfigureAwait(false))
                await write(file, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            Commit(tempPath, finalPath);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Gives a complete file its final name durably: fsync <paramref name="tempPath"/>, rename it over
    /// <paramref name="finalPath"/> (both in one folder), fsync the folder.
    /// </summary>
    public static void Commit(string tempPath, string finalPath)
    {
        // fsync needs a descriptor; any one of the file flushes all of its data.
        using (var handle = File.OpenHandle(tempPath, FileMode.Open, FileAccess.ReadWrite))
            RandomAccess.FlushToDisk(handle);
        File.Move(tempPath, finalPath, overwrite: true);
        SyncFolderOf(finalPath);
    }

    /// <summary>
    /// Flushes the folder holding <paramref name="path"/>, so a file just created or renamed there keeps its
    /// name after a crash. Windows journals names itself and has no call for this.
    /// </summary>
    public static void SyncFolderOf(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        FileLayer.Current.SyncDirectory(Encoding.UTF8.GetBytes(folder));
    }

    /// <summary>A fresh hidden name beside <paramref name="finalPath"/>; no duplicity file name starts with a dot.</summary>
    public static string TemporaryPathFor(string finalPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(finalPath)) ?? "/";
        return Path.Combine(folder, $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}{TemporarySuffix}");
    }

    /// <summary>
    /// Whether <paramref name="fileName"/> has the shape of <see cref="TemporaryPathFor"/>'s names: what a
    /// write killed before its rename leaves behind.
    /// </summary>
    public static bool IsTemporaryName(string fileName) =>
        fileName.Length > 1 + GuidLength + TemporarySuffix.Length && fileName[0] == '.' && fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal)
        && fileName[^(GuidLength + TemporarySuffix.Length + 1)] == '.'
        && !fileName.AsSpan(fileName.Length - GuidLength - TemporarySuffix.Length, GuidLength).ContainsAnyExcept(LowerHexDigits);

    private static readonly System.Buffers.SearchValues<char> LowerHexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
    private const string TemporarySuffix = ".tmp";
    private const int GuidLength = 32;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden leftover is never read as a cache file.
        }
    }
}
