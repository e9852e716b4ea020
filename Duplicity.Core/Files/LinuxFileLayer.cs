using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Duplicity.Files;

/// <summary>
/// The native layer: libc with raw byte paths, owners and device numbers, descriptor-relative restores
/// (<see cref="Posix"/>, <see cref="RestoreTreeWriter"/>). Only on Linux architectures whose constants and
/// layouts <see cref="LinuxAbi"/> knows, and only when the C library answers a first statx.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxFileLayer : IFileLayer
{
    private LinuxFileLayer()
    {
    }

    /// <summary>The layer, or null with the reason when this machine cannot have it.</summary>
    public static LinuxFileLayer? TryCreate(out string? reason)
    {
        if (LinuxAbi.Current is null)
        {
            reason = $"the C interface of architecture {RuntimeInformation.ProcessArchitecture} is not known";
            return null;
        }
        if (MissingEntryPoint() is { } missing)
        {
            reason = $"the C library has no {missing}";
            return null;
        }
        try
        {
            // statx needs glibc 2.28 / musl 1.2.5 and Linux 4.11; a seccomp filter may also refuse it.
            if (!Posix.TryLstat("/"u8, out _, out int errno))
            {
                reason = $"statx fails (errno {errno})";
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            reason = $"the C library lacks a call ({e.Message})";
            return null;
        }
        reason = null;
        return new LinuxFileLayer();
    }

    /// <summary>Every libc function the native layer declares (PosixNative); a unit test keeps the list complete.</summary>
    internal static readonly string[] EntryPoints =
    [
        "access", "chmod", "close", "closedir", "fchmod", "fchmodat", "fchown", "fchownat", "fcntl", "fdopendir", "fsync",
        "futimens", "getegid", "geteuid", "getgrgid_r", "getgrnam_r", "getpwnam_r", "getpwuid_r", "lchown", "mkdir", "mkdirat", "mkdtemp",
        "mkfifo", "mkfifoat", "mknod", "mknodat", "open64", "openat64", "posix_fadvise", "readdir64", "readlink", "rename", "renameat",
        "renameat2", "rmdir", "statx", "symlink", "symlinkat", "syscall", "unlink", "unlinkat", "utimensat",
    ];

    /// <summary>The first declared function the C library lacks (an older glibc, or a musl without the *64 names), else null.</summary>
    private static string? MissingEntryPoint()
    {
        if (!NativeLibrary.TryLoad("libc", typeof(LinuxFileLayer).Assembly, null, out nint libc)) return "libc";
        foreach (var name in EntryPoints)
            if (!NativeLibrary.TryGetExport(libc, name, out _)) return name;
        return null;
    }

    public string Name => "linux-native";

    public bool KnowsOwners => true;

    public uint? EffectiveUserId => Posix.GetEffectiveUserId();

    public bool TryLstat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) => Posix.TryLstat(path, out st, out errno);

    public bool TryStat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) => Posix.TryStat(path, out st, out errno);

    public List<byte[]> ReadDirectory(ReadOnlySpan<byte> path, bool followSymlink = false) => Posix.ReadDirectory(path, followSymlink);

    public bool IsReadable(ReadOnlySpan<byte> path, out int errno) => Posix.IsReadable(path, out errno);

    public FileMetadata? ReadMetadata(ReadOnlySpan<byte> path, in PosixStat st)
    {
        if (st.EntryType is not { } type) return null;
        bool isDevice = type is FileEntryType.CharacterDevice or FileEntryType.BlockDevice;
        return new FileMetadata
        {
            Type = type,
            Mode = st.Mode & 0xFFF,
            Uid = st.Uid,
            Gid = st.Gid,
            UserName = OwnerNames.GetUserName(st.Uid),
            GroupName = OwnerNames.GetGroupName(st.Gid),
            MTime = st.MTimeSeconds,
            Size = type == FileEntryType.Regular ? st.Size : 0,
            LinkTarget = type == FileEntryType.Symlink ? Posix.ReadLink(path) : null,
            DeviceMajor = isDevice ? (int)st.RdevMajor : 0,
            DeviceMinor = isDevice ? (int)st.RdevMinor : 0,
        };
    }

    public SafeFileHandle OpenSourceFile(ReadOnlySpan<byte> path, in PosixStat walked, bool followSymlinks = false) =>
        SourceFileOpener.Open(path, walked, followSymlinks);

    public void PrefetchSourceFile(ReadOnlySpan<byte> path, long length, bool followSymlinks = false) =>
        SourceFileOpener.Prefetch(path, length, followSymlinks);

    public void SyncDirectory(ReadOnlySpan<byte> path) => Posix.SyncDirectory(path);

    public void RemoveDirectory(ReadOnlySpan<byte> path) => Posix.Rmdir(path);

    public void RemoveFile(ReadOnlySpan<byte> path) => Posix.Unlink(path);

    public unsafe string CreateUniqueDirectory(string template)
    {
        var bytes = Encoding.UTF8.GetBytes(template + "\0");
        fixed (byte* p = bytes)
        {
            if (PosixNative.Mkdtemp(p) == null)
                throw new PosixException("mkdtemp", Marshal.GetLastPInvokeError(), bytes);
        }
        return Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);
    }

    public uint? LookupUserId(string name) => OwnerNames.GetUserId(name);

    public uint? LookupGroupId(string name) => OwnerNames.GetGroupId(name);

    public IRestoreTreeWriter CreateRestoreWriter(ReadOnlySpan<byte> target, RestoreWriterPolicy? policy, ILogger? logger) =>
        new RestoreTreeWriter(target, policy, logger);
}
