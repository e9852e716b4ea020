using Duplicity.Files;

namespace Duplicity.IO;

/// <summary>
/// Deletes a folder tree without ever following a symlink: every entry is lstat'ed, symlinks are
/// unlinked as links, and folders are listed through an O_NOFOLLOW handle.
/// </summary>
internal static class PrivateTreeRemover
{
    /// <summary>Removes <paramref name="path"/> and everything below it; entries that vanish meanwhile are fine.</summary>
    /// <exception cref="PosixException">Something could not be removed.</exception>
    public static void Remove(byte[] path)
    {
        var layer = FileLayer.Current;
        if (!layer.TryLstat(path, out var st, out int errno))
        {
            if (errno == PosixException.ENOENT) return;
            throw new PosixException("lstat", errno, path);
        }
        try
        {
            if (st.IsDirectory)
            {
                foreach (var name in layer.ReadDirectory(path)) Remove(LocalFile.Join(path, name));
                layer.RemoveDirectory(path);
            }
            else
            {
                layer.RemoveFile(path);
            }
        }
        catch (PosixException e) when (e.Errno == PosixException.ENOENT)
        {
            // Removed by a concurrent sweep.
        }
    }
}
