using System.Runtime.InteropServices;
using System.Text;

namespace Duplicity.Files;

/// <summary>A libc call failed; carries the errno and the path it was about.</summary>
internal class PosixException : IOException
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int E2BIG = 7;
    internal const int EIO = 5;
    internal const int EACCES = 13;
    internal const int EEXIST = 17;
    internal const int EXDEV = 18;
    internal const int ENOTDIR = 20;
    internal const int EISDIR = 21;
    internal const int EINVAL = 22;
    internal const int ENOSPC = 28;
    internal const int ERANGE = 34;
    internal const int ENOSYS = 38;
    internal const int ENOTEMPTY = 39;
    internal const int ELOOP = 40;
    internal const int EILSEQ = 84;
    internal const int EOPNOTSUPP = 95;

    public PosixException(string operation, int errno, ReadOnlySpan<byte> path)
        : base($"{operation} failed for '{Describe(path)}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Errno = errno;
        Path = Describe(path);
        HResult = errno;
    }

    /// <summary>The C errno value.</summary>
    public int Errno { get; }

    /// <summary>The path as text (bytes that are not UTF-8 become U+FFFD).</summary>
    public string Path { get; }

    internal static string Describe(ReadOnlySpan<byte> path)
    {
        int nul = path.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? path[..nul] : path);
    }
}
