using System.Runtime.InteropServices;

namespace Duplicity.Files;

/// <summary>
/// The open(2) flags whose values differ between Linux architectures (see <see cref="LinuxAbi"/>). An
/// architecture not listed there is refused rather than guessed; the file layer selection then falls back
/// to the portable layer, so this refusal is only reached by direct use of the native calls.
/// </summary>
internal static class OpenFlags
{
    /// <summary>O_DIRECTORY for this process's architecture.</summary>
    /// <exception cref="PlatformNotSupportedException">The architecture's values are not known.</exception>
    public static int Directory => Require().OpenDirectory;

    /// <summary>O_NOFOLLOW for this process's architecture.</summary>
    /// <exception cref="PlatformNotSupportedException">The architecture's values are not known.</exception>
    public static int NoFollow => Require().OpenNoFollow;

    /// <summary>The (O_DIRECTORY, O_NOFOLLOW) pair of an architecture, or null when it is not known.</summary>
    internal static (int Directory, int NoFollow)? ValuesFor(Architecture architecture) =>
        LinuxAbi.For(architecture) is { } abi ? (abi.OpenDirectory, abi.OpenNoFollow) : null;

    private static LinuxAbi Require() => LinuxAbi.Current ?? throw new PlatformNotSupportedException(
        $"The open(2) flag values of architecture {RuntimeInformation.ProcessArchitecture} are not known; the native file layer is not supported there.");
}
