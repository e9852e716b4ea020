namespace Duplicity.IO;

/// <summary>
/// Opens files that hold plaintext or metadata (temp data, the archive dir) so that a file this call
/// creates is readable by its owner only (0600), whatever the process umask.
/// </summary>
internal static class PrivateFile
{
    /// <summary>Mode of every file created: owner read and write.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode of every private folder: owner read, write and search.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates a folder and each missing parent with mode 0700 (.NET would give the parents 0777 less
    /// the umask); folders that exist are left as they are.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void CreateDirectories(string path)
    {
        var missing = new Stack<string>();
        for (var p = Path.GetFullPath(path); !Directory.Exists(p); p = Path.GetDirectoryName(p)!)
        {
            missing.Push(p);
            if (Path.GetDirectoryName(p) is null) break;
        }
        while (missing.TryPop(out var p)) Directory.CreateDirectory(p, DirectoryMode);
    }

    /// <summary>A <see cref="FileStream"/> whose file, when created by this call, gets mode 0600.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileShare share = FileShare.None,
        int bufferSize = 4096, FileOptions options = FileOptions.None) =>
        new(path, Settings(mode, access, share, bufferSize, options));

    /// <summary>
    /// Like <see cref="Open"/>, for a scratch file used with asynchronous calls: they run on the caller's
    /// thread (see <see cref="InlineFileStream"/>).
    /// </summary>
    public static FileStream OpenInline(string path, System.IO.FileMode mode, FileAccess access, FileShare share = FileShare.None,
        int bufferSize = 4096, FileOptions options = FileOptions.None) =>
        new InlineFileStream(path, Settings(mode, access, share, bufferSize, options));

    private static FileStreamOptions Settings(System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize, FileOptions options)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        // .NET refuses a create mode for modes that never create (and on Windows, where ACLs decide).
        if (!OperatingSystem.IsWindows() && mode is not (System.IO.FileMode.Open or System.IO.FileMode.Truncate))
            settings.UnixCreateMode = FileMode;
        return settings;
    }
}
