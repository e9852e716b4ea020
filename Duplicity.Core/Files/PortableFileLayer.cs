using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Files;

/// <summary>
/// The file layer on .NET's own APIs, for every platform .NET runs on. What it reports and keeps:
/// types (regular, directory, symlink), permission bits where the OS has them (Unix:
/// <see cref="FileSystemInfo.UnixFileMode"/>; Windows: 0755 for folders, 0644 for files, 0444 for read-only
/// ones), modification times, sizes, link targets, names as the OS gives them. What it cannot: owners (every
/// object is uid/gid 0 without names, which a tar header allows and a restore as non-root ignores), device
/// numbers, inodes, hard links, fifos and device nodes (on Unix .NET shows them as regular files; they are
/// never created on restore), names that are not valid UTF-8 (Unix) or UTF-16 (Windows), flushing a folder's
/// entries to the disk. Paths are looked up by name each time, so a tree changed by someone else during a
/// run is not guarded against the way the native layer's descriptor-relative calls guard.
/// </summary>
internal sealed class PortableFileLayer : IFileLayer
{
    private const int WindowsDirectoryMode = 0x1ED; // 0755
    private const int WindowsFileMode = 0x1A4;      // 0644
    private const int WindowsReadOnlyMode = 0x124;  // 0444
    private const int SymlinkMode = 0x1FF;          // 0777, what Linux reports for every link

    private static readonly EnumerationOptions ListAll = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
        MatchCasing = MatchCasing.PlatformDefault,
    };

    public string Name => "portable";

    public bool KnowsOwners => false;

    public uint? EffectiveUserId => null;

    /// <summary>A byte path as the text .NET takes (UTF-8; a trailing NUL is dropped).</summary>
    internal static string Text(ReadOnlySpan<byte> path)
    {
        int nul = path.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? path[..nul] : path);
    }

    public bool TryLstat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) => TryProbe(Text(path), follow: false, out st, out errno);

    public bool TryStat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) => TryProbe(Text(path), follow: true, out st, out errno);

    private static bool TryProbe(string path, bool follow, out PosixStat st, out int errno)
    {
        st = default;
        try
        {
            var info = Info(path, out bool isLink);
            if (isLink && follow)
            {
                // FileInfo.Exists is false for a folder, so the target is looked at afresh (which throws when it is missing).
                var final = info.ResolveLinkTarget(returnFinalTarget: true) ?? throw new FileNotFoundException(null, path);
                info = Info(final.FullName, out isLink);
            }
            st = StatOf(info, isLink);
            errno = 0;
            return true;
        }
        catch (Exception e) when (PortableErrors.IsFileError(e))
        {
            errno = PortableErrors.ErrnoOf(e);
            // A listed name .NET could not decode (not UTF-8 on Unix) comes back with U+FFFD and is then not
            // found: that is a name this layer cannot reach, not one that vanished.
            if (errno == PosixException.ENOENT && path.Contains('\uFFFD', StringComparison.Ordinal)) errno = PosixException.EILSEQ;
            return false;
        }
    }

    /// <summary>The object at <paramref name="path"/> itself (a link is not followed); throws when nothing is there.</summary>
    private static FileSystemInfo Info(string path, out bool isLink)
    {
        var attributes = File.GetAttributes(path);
        isLink = false;
        if ((attributes & FileAttributes.ReparsePoint) != 0)
        {
            // A symlink (or a Windows junction); other reparse points (cloud placeholders, dedup) are what they contain.
            FileSystemInfo candidate = (attributes & FileAttributes.Directory) != 0 ? new DirectoryInfo(path) : new FileInfo(path);
            if (candidate.LinkTarget is not null)
            {
                isLink = true;
                return new FileInfo(path);
            }
        }
        return (attributes & FileAttributes.Directory) != 0 ? new DirectoryInfo(path) : new FileInfo(path);
    }

    private static PosixStat StatOf(FileSystemInfo info, bool isLink)
    {
        bool isDirectory = !isLink && info is DirectoryInfo;
        int typeBits = isLink ? PosixStat.SymlinkBits : isDirectory ? PosixStat.DirectoryBits : PosixStat.RegularBits;
        int permissions = isLink ? SymlinkMode
            : OperatingSystem.IsWindows()
                ? isDirectory ? WindowsDirectoryMode : (info.Attributes & FileAttributes.ReadOnly) != 0 ? WindowsReadOnlyMode : WindowsFileMode
                : (int)info.UnixFileMode & 0xFFF;
        long ticks = (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        return new PosixStat
        {
            Mode = typeBits | permissions,
            Size = !isLink && info is FileInfo file ? file.Length : 0,
            MTimeSeconds = seconds,
            MTimeNanoseconds = (uint)(rest * 100),
        };
    }

    public List<byte[]> ReadDirectory(ReadOnlySpan<byte> path, bool followSymlink = false)
    {
        string text = Text(path);
        if (!TryProbe(text, follow: followSymlink, out var st, out int errno)) throw new PosixException("opendir", errno, path);
        if (st.IsSymlink) throw new PosixException("opendir", PosixException.ELOOP, path);
        if (!st.IsDirectory) throw new PosixException("opendir", PosixException.ENOTDIR, path);
        try
        {
            var names = new List<byte[]>();
            foreach (var entry in Directory.EnumerateFileSystemEntries(text, "*", ListAll))
                names.Add(Encoding.UTF8.GetBytes(Path.GetFileName(entry)));
            return names;
        }
        catch (Exception e) when (PortableErrors.IsFileError(e))
        {
            throw PortableErrors.Wrap("readdir", e, path);
        }
    }

    public bool IsReadable(ReadOnlySpan<byte> path, out int errno)
    {
        string text = Text(path);
        errno = 0;
        try
        {
            if (Directory.Exists(text))
            {
                using var names = Directory.EnumerateFileSystemEntries(text, "*", ListAll).GetEnumerator();
                names.MoveNext();
            }
            // Files are not opened here: on Unix a named pipe looks like a file to .NET and opening it would
            // wait for a writer. An unreadable file fails at OpenSourceFile and is counted there.
            return true;
        }
        catch (Exception e) when (PortableErrors.IsFileError(e))
        {
            errno = PortableErrors.ErrnoOf(e);
            return false;
        }
    }

    public FileMetadata? ReadMetadata(ReadOnlySpan<byte> path, in PosixStat st)
    {
        if (st.EntryType is not { } type) return null;
        byte[]? target = null;
        if (type == FileEntryType.Symlink)
        {
            string text = Text(path);
            try
            {
                target = new FileInfo(text).LinkTarget is { } link ? Encoding.UTF8.GetBytes(link) : null;
            }
            catch (Exception e) when (PortableErrors.IsFileError(e))
            {
                throw PortableErrors.Wrap("readlink", e, path);
            }
            if (target is null) throw new PosixException("readlink", PosixException.ENOENT, path);
        }
        return new FileMetadata
        {
            Type = type,
            Mode = st.Mode & 0xFFF,
            MTime = st.MTimeSeconds,
            Size = type == FileEntryType.Regular ? st.Size : 0,
            LinkTarget = target,
        };
    }

    public SafeFileHandle OpenSourceFile(ReadOnlySpan<byte> path, in PosixStat walked, bool followSymlinks = false)
    {
        string text = Text(path);
        // No descriptor check is possible here: look again just before opening, so at least a file turned
        // into a link or folder since the walk is refused rather than followed.
        if (!TryProbe(text, follow: followSymlinks, out var now, out int errno)) throw new PosixException("open", errno, path);
        if (now.TypeBits != walked.TypeBits) throw new SourceFileChangedException(path, now.TypeBits);
        try
        {
            return File.OpenHandle(text, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (PortableErrors.IsFileError(e))
        {
            throw PortableErrors.Wrap("open", e, path);
        }
    }

    /// <summary>.NET has no call that starts a read ahead without waiting: files are read when they are backed up.</summary>
    public void PrefetchSourceFile(ReadOnlySpan<byte> path, long length, bool followSymlinks = false)
    {
    }

    /// <summary>.NET has no call that flushes a folder; Windows journals names itself, elsewhere a crash right after a rename may lose it.</summary>
    public void SyncDirectory(ReadOnlySpan<byte> path)
    {
    }

    public void RemoveDirectory(ReadOnlySpan<byte> path) => Run("rmdir", path, static p => Directory.Delete(p, recursive: false));

    public void RemoveFile(ReadOnlySpan<byte> path) => Run("unlink", path, File.Delete);

    public string CreateUniqueDirectory(string template)
    {
        if (!template.EndsWith("XXXXXX", StringComparison.Ordinal)) throw new ArgumentException("The template must end in XXXXXX.", nameof(template));
        for (int attempt = 0; ; attempt++)
        {
            var path = string.Concat(template.AsSpan(0, template.Length - 6), Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3)));
            if (TryProbe(path, follow: false, out _, out _))
            {
                if (attempt < 100) continue;
                throw new PosixException("mkdtemp", PosixException.EEXIST, Encoding.UTF8.GetBytes(template));
            }
            try
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
                else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                return path;
            }
            catch (Exception e) when (PortableErrors.IsFileError(e))
            {
                throw PortableErrors.Wrap("mkdtemp", e, Encoding.UTF8.GetBytes(path));
            }
        }
    }

    public uint? LookupUserId(string name) => null;

    public uint? LookupGroupId(string name) => null;

    public IRestoreTreeWriter CreateRestoreWriter(ReadOnlySpan<byte> target, RestoreWriterPolicy? policy, ILogger? logger) =>
        new PortableRestoreTreeWriter(target, policy, logger);

    private static void Run(string operation, ReadOnlySpan<byte> path, Action<string> action)
    {
        try
        {
            action(Text(path));
        }
        catch (Exception e) when (PortableErrors.IsFileError(e))
        {
            throw PortableErrors.Wrap(operation, e, path);
        }
    }
}
