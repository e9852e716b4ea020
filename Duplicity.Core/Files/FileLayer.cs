namespace Duplicity.Files;

/// <summary>
/// Chooses the file layer once per process: the Linux native one where it works (Linux on an architecture
/// <see cref="LinuxAbi"/> knows, with a C library that answers), the portable one everywhere else or when the
/// environment variable <c>DUPLICITY_PORTABLE_FILES</c> is set to anything but empty or <c>0</c>. Tests may
/// put another layer in place for one flow of execution with <see cref="Use"/>.
/// </summary>
internal static class FileLayer
{
    /// <summary>The environment variable that forces the portable layer.</summary>
    public const string PortableVariable = "DUPLICITY_PORTABLE_FILES";

    private static readonly AsyncLocal<IFileLayer?> Override = new();
    private static readonly Lazy<IFileLayer> Default = new(() => Choose(Environment.GetEnvironmentVariable(PortableVariable), out _));

    /// <summary>The portable layer (one instance; it holds no state).</summary>
    public static PortableFileLayer Portable { get; } = new();

    /// <summary>The layer every file operation of this flow uses.</summary>
    public static IFileLayer Current => Override.Value ?? Default.Value;

    /// <summary>The layer for a value of <see cref="PortableVariable"/> on this machine, and why the native one is not used (null when it is).</summary>
    internal static IFileLayer Choose(string? portableVariable, out string? whyPortable)
    {
        if (!string.IsNullOrEmpty(portableVariable) && portableVariable != "0")
        {
            whyPortable = $"{PortableVariable} is set";
            return Portable;
        }
        if (!OperatingSystem.IsLinux())
        {
            whyPortable = "the native layer exists only for Linux";
            return Portable;
        }
        return LinuxFileLayer.TryCreate(out whyPortable) is { } native ? native : Portable;
    }

    /// <summary>Makes <paramref name="layer"/> current for this flow (and the tasks it starts) until disposed.</summary>
    internal static IDisposable Use(IFileLayer layer)
    {
        var previous = Override.Value;
        Override.Value = layer;
        return new Restore(previous);
    }

    private sealed class Restore(IFileLayer? previous) : IDisposable
    {
        public void Dispose() => Override.Value = previous;
    }
}
