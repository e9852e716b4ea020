using Duplicity.Archive.Naming;
using Duplicity.Files;
using Duplicity.IO;

namespace Duplicity.Cache;

/// <summary>
/// The local archive dir of one backup (<c>archive-dir/name</c>): plaintext manifests, gzipped
/// signature files, and the <c>.part</c> files of a running backup. Volumes are never cached.
/// </summary>
internal sealed class ArchiveCache
{
    private ArchiveCache(string directory) => Directory = directory;

    /// <summary>The cache folder of this backup.</summary>
    public string Directory { get; }

    /// <summary>Opens (creating if needed) the cache folder <paramref name="name"/> below <paramref name="root"/>.</summary>
    public static ArchiveCache Open(string root, string name)
    {
        var dir = Path.GetFullPath(Path.Combine(root, name));
        if (File.Exists(dir))
            throw new DuplicityException(DuplicityErrorCode.ArchiveDirNotDirectory, $"Archive dir {dir} is not a directory.");
        CreatePrivate(root, dir);
        return new ArchiveCache(dir);
    }

    // The cache holds every file name, size and owner of the backup: folders we create are 0700. The
    // backup's own folder is tightened when an earlier version left it wider; a root the user made is theirs.
    private static void CreatePrivate(string root, string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(dir);
            return;
        }
        if (!System.IO.Directory.Exists(root)) PrivateFile.CreateDirectories(root);
        var layer = Duplicity.Files.FileLayer.Current;
        if (!layer.TryLstat(System.Text.Encoding.UTF8.GetBytes(dir), out var st))
        {
            System.IO.Directory.CreateDirectory(dir, PrivateFile.DirectoryMode);
            return;
        }
        if (st.IsDirectory && layer.EffectiveUserId is { } me && st.Uid == me && (st.Mode & 0x3F) != 0)
            File.SetUnixFileMode(dir, PrivateFile.DirectoryMode);
    }

    /// <summary>
    /// Takes the archive directory's lock for the whole run, the way duplicity 0.8 takes it, so that
    /// neither duplicity nor another run of this library works on the same cache at the same time.
    /// </summary>
    /// <remarks>
    /// duplicity locks <c>lockfile</c> with <c>lockf</c> (a POSIX record lock, through fasteners),
    /// which Linux keeps apart from the <c>flock</c> lock that <see cref="FileShare.None"/> takes: only
    /// both exclude duplicity and runs in this process alike. Like duplicity, the file is removed on release.
    /// </remarks>
    /// <exception cref="RepositoryLockedException">Another process holds the lock.</exception>
    public IDisposable AcquireLock()
    {
        var path = Path.Combine(Directory, "lockfile");
        FileStream? stream = null;
        try
        {
            stream = PrivateFile.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);   // 0600
            if (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS()) stream.Lock(0, 0);   // whole file, as lockf(fd, LOCK_EX|LOCK_NB)
            RemoveInterruptedWrites();
            return new Releaser(stream, path);
        }
        catch (IOException e)
        {
            stream?.Dispose();
            throw new RepositoryLockedException(path, e);
        }
    }

    // Only the lock holder writes here, so a temporary file found now belongs to a run that was killed mid-write.
    private void RemoveInterruptedWrites()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            if (!DurableFile.IsTemporaryName(Path.GetFileName(file))) continue;
            try { File.Delete(file); } catch (IOException) { /* the next run tries again */ }
        }
    }

    /// <summary>Names of the files in the cache (the lock file excluded).</summary>
    public IReadOnlyList<string> ListFileNames() =>
        System.IO.Directory.EnumerateFiles(Directory)
            .Select(Path.GetFileName)
            .Where(n => n != null && n != "lockfile")
            .Select(n => n!)
            .ToList();

    /// <summary>
    /// The cache's name for a metadata file of the backend: manifests are kept as plaintext, signature
    /// files gzipped, whatever their suffix on the backend.
    /// </summary>
    public static string LocalNameOf(RemoteFileName remote, FileNamingOptions naming) =>
        (remote with { IsEncrypted = false, IsCompressed = remote.IsSignatures, IsPartial = false }).Format(naming);

    /// <summary>The cached copy of a backend metadata file (which may not exist).</summary>
    public string LocalPathOf(string remoteName, FileNamingOptions naming) =>
        PathOf(LocalNameOf(RemoteFileName.TryParse(remoteName, naming)
            ?? throw new ArgumentException($"'{remoteName}' is not a duplicity file name.", nameof(remoteName)), naming));

    /// <summary>Opens the cached plaintext tar of a signature file.</summary>
    public Stream OpenSignatures(string remoteName, FileNamingOptions naming) =>
        Archive.Volumes.VolumeEncoding.OpenGzipRead(new FileStream(LocalPathOf(remoteName, naming), FileMode.Open, FileAccess.Read,
            FileShare.Read, 1 << 16, FileOptions.SequentialScan));

    /// <summary>
    /// Where the seek index of the set whose cached manifest is <paramref name="manifestName"/> is kept: a
    /// folder of its own, which duplicity's scan of the archive dir passes over.
    /// </summary>
    public string SeekIndexPathOf(string manifestName) => Path.Combine(Directory, SeekFolder, manifestName);

    /// <summary>Creates the seek index folder (private, as the cache is) and returns the path for <paramref name="manifestName"/>.</summary>
    public string PrepareSeekIndexPath(string manifestName)
    {
        var folder = Path.Combine(Directory, SeekFolder);
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(folder);
        else System.IO.Directory.CreateDirectory(folder, PrivateFile.DirectoryMode);
        return Path.Combine(folder, manifestName);
    }

    /// <summary>Deletes the seek indexes of sets whose manifest the cache no longer holds.</summary>
    public void PruneSeekIndexes()
    {
        var folder = Path.Combine(Directory, SeekFolder);
        if (!System.IO.Directory.Exists(folder)) return;
        foreach (var file in System.IO.Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (!DurableFile.IsTemporaryName(name) && File.Exists(PathOf(name))) continue;
            try { File.Delete(file); } catch (IOException) { /* the next sync tries again */ }
        }
    }

    private const string SeekFolder = "seek-index";

    /// <summary>Full path of a file in the cache.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Deletes a cache file if it exists.</summary>
    public void Delete(string name)
    {
        var p = PathOf(name);
        if (File.Exists(p)) File.Delete(p);
    }

    private sealed class Releaser(FileStream stream, string path) : IDisposable
    {
        public void Dispose()
        {
            stream.Dispose();
            try { File.Delete(path); } catch (IOException) { }
        }
    }
}
