using System.Runtime.InteropServices;

namespace Duplicity.Samples;

/// <summary>
/// Keeps glibc from holding on to freed native memory. Every compressed 1 MiB block creates and frees a
/// zlib state of a few hundred KB on whichever pool thread compresses it. glibc maps such blocks at first,
/// but after the first free it raises its mmap threshold above them, so later ones come from its per-thread
/// heaps, where the freed space stays fragmented and resident: a full backup of a 2 GB file peaked at
/// 122-130 MB of RSS, 98-100 MB with the threshold fixed at glibc's default of 128 KiB (which is what setting
/// it does: the threshold no longer moves), at no measurable CPU cost. Only the console does this; a
/// library must not change its host's allocator. MALLOC_MMAP_THRESHOLD_ in the environment still rules.
/// </summary>
internal static partial class MallocTuning
{
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in glibc's malloc.h
    private const int MmapThreshold = 128 * 1024;

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") != null)
            return;
        try
        {
            // Returns 0 on failure: nothing to do then but go on with the allocator as it is.
            _ = Mallopt(MmapThresholdParameter, MmapThreshold);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without mallopt.
        }
        catch (DllNotFoundException)
        {
            // No libc by that name.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
