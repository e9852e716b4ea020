namespace Duplicity.Backends;

/// <summary>One file stored in a backend.</summary>
/// <param name="Name">The file name (no folder part).</param>
/// <param name="Size">The size in bytes.</param>
public sealed record BackendFileInfo(string Name, long Size);
