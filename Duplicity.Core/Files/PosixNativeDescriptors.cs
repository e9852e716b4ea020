using System.Runtime.InteropServices;

namespace Duplicity.Files;

// Entry points for reading through a descriptor safely (fstat, fcntl) and for private temp folders
// (mkdtemp); kept apart from the restore-side declarations.
internal static unsafe partial class PosixNative
{
    internal const int AT_EMPTY_PATH = 0x1000;
    // O_NONBLOCK is 04000 on both x86_64 and arm64 (asm-generic).
    internal const int O_NONBLOCK = 0x800;
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int FcntlInt(int fd, int cmd, int arg);

    [LibraryImport(Libc, EntryPoint = "mkdtemp", SetLastError = true)]
    internal static partial byte* Mkdtemp(byte* template);
}
