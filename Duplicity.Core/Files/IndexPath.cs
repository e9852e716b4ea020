using System.Text;

namespace Duplicity.Files;

/// <summary>
/// A path relative to the backup root, kept as the raw file-name bytes joined with <c>/</c>
/// (duplicity's "index"). The root is the empty path, printed <c>.</c>. Names that are not UTF-8
/// survive unchanged because nothing here decodes them.
/// </summary>
/// <remarks>
/// Ordering is duplicity's: component by component, each compared as unsigned bytes, so a parent
/// precedes its children and <c>a/b</c> sorts before <c>a-b</c>. Comparing the joined bytes with
/// <c>/</c> ranked below every other byte gives exactly that order, since no component holds
/// <c>/</c>.
/// </remarks>
public readonly struct IndexPath : IEquatable<IndexPath>, IComparable<IndexPath>
{
    private readonly byte[]? _bytes;

    private IndexPath(byte[] bytes) => _bytes = bytes;

    /// <summary>The backup root (no components).</summary>
    public static IndexPath Root => default;

    /// <summary>The joined component bytes (empty for the root).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True for the root.</summary>
    public bool IsRoot => _bytes is null || _bytes.Length == 0;

    /// <summary>Number of components (0 for the root).</summary>
    public int Depth
    {
        get
        {
            if (IsRoot) return 0;
            return Bytes.Count((byte)'/') + 1;
        }
    }

    /// <summary>
    /// Parses joined bytes. Leading and trailing <c>/</c> and a lone <c>.</c> denote the root; empty
    /// components are not allowed.
    /// </summary>
    /// <exception cref="ArgumentException">An empty component or a NUL byte.</exception>
    public static IndexPath FromBytes(ReadOnlySpan<byte> bytes)
    {
        bytes = bytes.Trim((byte)'/');
        if (bytes.IsEmpty || (bytes.Length == 1 && bytes[0] == (byte)'.')) return Root;
        if (bytes.Contains((byte)0)) throw new ArgumentException("A path may not contain NUL bytes.", nameof(bytes));
        if (bytes.IndexOf("//"u8) >= 0) throw new ArgumentException("A path may not contain empty components.", nameof(bytes));
        return new IndexPath(bytes.ToArray());
    }

    /// <summary>Parses a path given as text (encoded as UTF-8).</summary>
    public static IndexPath Parse(string path) => FromBytes(Encoding.UTF8.GetBytes(path));

    /// <summary>Wraps bytes that are known to be valid (no empty components, no outer slashes).</summary>
    internal static IndexPath FromTrustedBytes(byte[] bytes) => bytes.Length == 0 ? Root : new IndexPath(bytes);

    /// <summary>This path with one more component.</summary>
    public IndexPath Append(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Contains((byte)'/')) throw new ArgumentException("Not a single path component.", nameof(name));
        if (IsRoot) return new IndexPath(name.ToArray());
        var joined = new byte[_bytes!.Length + 1 + name.Length];
        _bytes.CopyTo(joined, 0);
        joined[_bytes.Length] = (byte)'/';
        name.CopyTo(joined.AsSpan(_bytes.Length + 1));
        return new IndexPath(joined);
    }

    /// <summary>The components, in order.</summary>
    public IReadOnlyList<byte[]> GetComponents()
    {
        if (IsRoot) return Array.Empty<byte[]>();
        var parts = new List<byte[]>();
        foreach (var range in Bytes.Split((byte)'/')) parts.Add(Bytes[range].ToArray());
        return parts;
    }

    /// <summary>The last component (empty for the root).</summary>
    public ReadOnlySpan<byte> Name
    {
        get
        {
            var b = Bytes;
            int slash = b.LastIndexOf((byte)'/');
            return slash < 0 ? b : b[(slash + 1)..];
        }
    }

    /// <summary>The parent path (the root's parent is the root).</summary>
    public IndexPath Parent
    {
        get
        {
            if (IsRoot) return Root;
            int slash = Bytes.LastIndexOf((byte)'/');
            return slash < 0 ? Root : new IndexPath(Bytes[..slash].ToArray());
        }
    }

    /// <summary>True when <paramref name="prefix"/> is this path or one of its ancestors (component-wise).</summary>
    public bool StartsWith(IndexPath prefix)
    {
        if (prefix.IsRoot) return true;
        var b = Bytes;
        var p = prefix.Bytes;
        return b.StartsWith(p) && (b.Length == p.Length || b[p.Length] == (byte)'/');
    }

    /// <summary>This path with the leading <paramref name="prefix"/> removed (the prefix itself becomes the root).</summary>
    public IndexPath RemovePrefix(IndexPath prefix)
    {
        if (!StartsWith(prefix)) throw new ArgumentException("Not a prefix of this path.", nameof(prefix));
        if (prefix.IsRoot) return this;
        var b = Bytes;
        return b.Length == prefix.Bytes.Length ? Root : new IndexPath(b[(prefix.Bytes.Length + 1)..].ToArray());
    }

    /// <summary>duplicity's index order (see the type remarks).</summary>
    public int CompareTo(IndexPath other) => Compare(Bytes, other.Bytes);

    /// <summary>Compares joined index bytes in duplicity's order.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        byte x = a[common], y = b[common];
        if (x == (byte)'/') return -1;
        if (y == (byte)'/') return 1;
        return x.CompareTo(y);
    }

    /// <inheritdoc />
    public bool Equals(IndexPath other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IndexPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>The path as text: <c>.</c> for the root, otherwise UTF-8 (invalid bytes become U+FFFD).</summary>
    public override string ToString() => IsRoot ? "." : Encoding.UTF8.GetString(Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(IndexPath left, IndexPath right) => left.Equals(right);
    /// <summary>Inequality.</summary>
    public static bool operator !=(IndexPath left, IndexPath right) => !left.Equals(right);
    /// <summary>Order.</summary>
    public static bool operator <(IndexPath left, IndexPath right) => left.CompareTo(right) < 0;
    /// <summary>Order.</summary>
    public static bool operator >(IndexPath left, IndexPath right) => left.CompareTo(right) > 0;
    /// <summary>Order.</summary>
    public static bool operator <=(IndexPath left, IndexPath right) => left.CompareTo(right) <= 0;
    /// <summary>Order.</summary>
    public static bool operator >=(IndexPath left, IndexPath right) => left.CompareTo(right) >= 0;
}
