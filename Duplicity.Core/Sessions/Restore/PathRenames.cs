using System.Text;
using Duplicity.Files;

namespace Duplicity.Sessions.Restore;

/// <summary>
/// duplicity's <c>--rename FROM TO</c>: an object whose archive path (relative to what is restored or
/// verified) is FROM, or lies under FROM, has its local path at TO (plus the rest of its path). The
/// longest matching FROM wins; the root itself is never renamed. Restore writes there, verify compares there.
/// </summary>
internal sealed class PathRenames
{
    private readonly Dictionary<string, byte[][]> _renames = new(StringComparer.Ordinal);
    private readonly List<IndexPath> _targets = [];

    public PathRenames(IReadOnlyDictionary<string, string> renames)
    {
        foreach (var (from, to) in renames)
            _renames[Normalize(from)] = [.. to.Split('/').Where(c => c.Length > 0 && c != ".").Select(Encoding.UTF8.GetBytes)];
        foreach (var to in _renames.Values)
        {
            var target = IndexPath.Root;
            foreach (var c in to) target = target.Append(c);
            _targets.Add(target);
        }
    }

    /// <summary>True when <paramref name="local"/> is a folder above a TO (one a restore creates to hold it).</summary>
    public bool IsAboveTarget(IndexPath local)
    {
        foreach (var target in _targets)
            if (target != local && target.StartsWith(local)) return true;
        return false;
    }

    /// <summary>True when <paramref name="local"/> is a TO or lies under one: a renamed object may have this local path.</summary>
    public bool IsUnderTarget(IndexPath local)
    {
        foreach (var target in _targets)
            if (local.StartsWith(target)) return true;
        return false;
    }

    /// <summary>Checks that no FROM is the root and every TO stays inside the restore target (or verified folder).</summary>
    public static void Validate(IReadOnlyDictionary<string, string>? renames)
    {
        if (renames == null) return;
        foreach (var (from, to) in renames)
        {
            if (Normalize(from).Length == 0) throw new ArgumentException($"Cannot rename the restored root ('{from}').", nameof(renames));
            if (to.Split('/').Any(c => c == "..") || to.Split('/').All(c => c.Length == 0 || c == "."))
                throw new ArgumentException($"The new name '{to}' of '{from}' must be a path inside the restore target.", nameof(renames));
        }
    }

    public IndexPath Apply(IndexPath index)
    {
        if (index.IsRoot || _renames.Count == 0) return index;
        var components = index.GetComponents();
        for (int keep = components.Count; keep > 0; keep--)
        {
            var head = string.Join('/', components.Take(keep).Select(c => Encoding.UTF8.GetString(c)));
            if (!_renames.TryGetValue(head, out var to)) continue;
            var renamed = IndexPath.Root;
            foreach (var c in to) renamed = renamed.Append(c);
            for (int i = keep; i < components.Count; i++) renamed = renamed.Append(components[i]);
            return renamed;
        }
        return index;
    }

    // As os.path.normpath: no empty or "." components, ".." cancels the component before it.
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var c in path.Split('/'))
        {
            if (c.Length == 0 || c == ".") continue;
            if (c == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(c);
        }
        return string.Join('/', parts);
    }
}
