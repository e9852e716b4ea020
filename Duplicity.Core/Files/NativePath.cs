using System.Buffers;

namespace Duplicity.Files;

/// <summary>
/// A path made NUL-terminated for a libc call without allocating for the common case: a path that
/// already ends in NUL is used in place, a short one is copied to the caller's stack scratch, a long
/// one to a pooled array.
/// </summary>
internal ref struct NativePath
{
    /// <summary>Size of the stack scratch callers should pass.</summary>
    internal const int StackSize = 512;

    private byte[]? _rented;

    public NativePath(ReadOnlySpan<byte> path, Span<byte> scratch)
    {
        if (!path.IsEmpty && path[^1] == 0)
        {
            if (path[..^1].Contains((byte)0)) throw InteriorNul(path);
            Terminated = path;
            return;
        }
        if (path.Contains((byte)0)) throw InteriorNul(path);
        Span<byte> target = path.Length < scratch.Length
            ? scratch
            : (_rented = ArrayPool<byte>.Shared.Rent(path.Length + 1));
        path.CopyTo(target);
        target[path.Length] = 0;
        Terminated = target[..(path.Length + 1)];
    }

    /// <summary>The path bytes followed by one NUL.</summary>
    public ReadOnlySpan<byte> Terminated { get; }

    public void Dispose()
    {
        if (_rented is not null) ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
    }

    private static PosixException InteriorNul(ReadOnlySpan<byte> path) =>
        new("path check", PosixException.EINVAL, path);
}
