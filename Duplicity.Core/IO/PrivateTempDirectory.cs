using System.Text;
using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.IO;

/// <summary>
/// The one private temp folder of a run: made atomically by mkdtemp (0700, owned by us, checked with
/// lstat), files in it 0600, removed with everything in it when disposed. Its name carries the pid
/// and start marker of the owning process so a later run can remove it if this one is killed.
/// This is the only place that asks for the system temp path.
/// </summary>
internal sealed class PrivateTempDirectory : IDisposable
{
    /// <summary>Every private temp folder's name starts with this.</summary>
    public const string NamePrefix = "duplicity-net-";

    private int _disposed;

    private PrivateTempDirectory(string path) => Path = path;

    /// <summary>Full path of the folder.</summary>
    public string Path { get; }

    /// <summary>
    /// Sweeps folders left by dead runs, then creates this run's folder below <paramref name="parent"/>
    /// (null: <c>TMPDIR</c>, else the system temp folder).
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or is not private after creation.</exception>
    public static PrivateTempDirectory Create(string? parent, ILogger? logger = null)
    {
        var root = System.IO.Path.GetFullPath(string.IsNullOrEmpty(parent) ? System.IO.Path.GetTempPath() : parent);
        StaleTempSweeper.Sweep(root, logger);
        var template = System.IO.Path.Combine(root, $"{NamePrefix}{Environment.ProcessId}-{ProcessStartMarker.Current ?? 0}-XXXXXX");
        var path = MakeUnique(template);
        Verify(path);
        return new PrivateTempDirectory(path);
    }

    /// <summary>A fresh, unused file path in the folder (nothing is created).</summary>
    public string NewFilePath(string prefix) => System.IO.Path.Combine(Path, $"{prefix}-{Guid.NewGuid():N}.tmp");

    /// <summary>Creates a new 0600 file in the folder.</summary>
    public FileStream CreateFile(string prefix, FileAccess access = FileAccess.ReadWrite, FileOptions options = FileOptions.None, int bufferSize = 1 << 16) =>
        PrivateFile.Open(NewFilePath(prefix), FileMode.CreateNew, access, FileShare.None, bufferSize, options);

    /// <summary>Removes the folder and its content; a failure leaves it for the next run's sweep.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            PrivateTreeRemover.Remove(Encoding.UTF8.GetBytes(Path));
        }
        catch (IOException)
        {
            // Swept by the next run once this process is gone.
        }
    }

    private static string MakeUnique(string template) => FileLayer.Current.CreateUniqueDirectory(template);

    // mkdtemp asks for 0700 but the umask may take owner bits away; never accept anything else.
    private static void Verify(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var layer = FileLayer.Current;
        var st = layer.Lstat(bytes);
        // A layer that cannot see owners (the portable one) has just made the folder itself.
        if (!st.IsDirectory || (layer.EffectiveUserId is { } me && st.Uid != me))
            throw new IOException($"Temporary folder {path} is not a directory owned by this user.");
        if ((st.Mode & 0xFFF) != (int)PrivateFile.DirectoryMode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, PrivateFile.DirectoryMode);
            if ((layer.Lstat(bytes).Mode & 0xFFF) != (int)PrivateFile.DirectoryMode)
                throw new IOException($"Temporary folder {path} could not be made private (mode 0700).");
        }
    }
}
