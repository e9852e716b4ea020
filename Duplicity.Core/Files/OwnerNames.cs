using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using static Duplicity.Files.PosixNative;

namespace Duplicity.Files;

/// <summary>
/// User and group names for numeric ids and back, through the C library (so NSS sources such as
/// LDAP are honoured), cached for the life of the process. Unknown ids and names give null.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe class OwnerNames
{
    // struct passwd (48 bytes on 64-bit) and struct group both start with two pointers; the id follows
    // them (LinuxAbi.OwnerIdOffset: 16 on 64-bit, 8 on 32-bit architectures).
    private const int RecordSize = 64;
    private static int IdOffset => (LinuxAbi.Current ?? throw new PlatformNotSupportedException("The C library's passwd layout of this architecture is not known.")).OwnerIdOffset;
    private const int MaxBuffer = 1 << 20;

    private static readonly ConcurrentDictionary<uint, string?> UserNames = new();
    private static readonly ConcurrentDictionary<uint, string?> GroupNames = new();
    private static readonly ConcurrentDictionary<string, uint?> UserIds = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, uint?> GroupIds = new(StringComparer.Ordinal);

    public static string? GetUserName(uint uid) => UserNames.GetOrAdd(uid, static id => LookupName(id, user: true));

    public static string? GetGroupName(uint gid) => GroupNames.GetOrAdd(gid, static id => LookupName(id, user: false));

    public static uint? GetUserId(string name) => UserIds.GetOrAdd(name, static n => LookupId(n, user: true));

    public static uint? GetGroupId(string name) => GroupIds.GetOrAdd(name, static n => LookupId(n, user: false));

    private static string? LookupName(uint id, bool user)
    {
        byte* record = stackalloc byte[RecordSize];
        for (int size = 1024; size <= MaxBuffer; size *= 4)
        {
            var buffer = new byte[size];
            byte* result = null;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = user
                    ? GetpwuidR(id, record, b, (nuint)size, &result)
                    : GetgrgidR(id, record, b, (nuint)size, &result);
                if (rc == 0 && result != null)
                    return Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(*(byte**)result));
            }
            if (rc != PosixException.ERANGE) return null;
        }
        return null;
    }

    private static uint? LookupId(string name, bool user)
    {
        if (name.Length == 0 || name.Contains('\0')) return null;
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        byte* record = stackalloc byte[RecordSize];
        for (int size = 1024; size <= MaxBuffer; size *= 4)
        {
            var buffer = new byte[size];
            byte* result = null;
            int rc;
            fixed (byte* n = nameBytes)
            fixed (byte* b = buffer)
            {
                rc = user
                    ? GetpwnamR(n, record, b, (nuint)size, &result)
                    : GetgrnamR(n, record, b, (nuint)size, &result);
                if (rc == 0 && result != null) return *(uint*)(result + IdOffset);
            }
            if (rc != PosixException.ERANGE) return null;
        }
        return null;
    }
}
