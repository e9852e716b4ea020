using System.Collections;
using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>
/// Walks a source tree depth first in duplicity's index order (each directory's names sorted as
/// unsigned bytes), yielding the root first and then every selected entry. Symlinks are never
/// followed; sockets, vanished and unreadable entries are reported and skipped. Only the listings of
/// the directories on the current path are held in memory. Each enumeration walks the tree afresh.
/// </summary>
internal sealed class SourceTreeWalker : IEnumerable<SourceEntry>
{
    private static readonly Comparison<byte[]> ByUnsignedBytes = static (a, b) => a.AsSpan().SequenceCompareTo(b);

    private readonly byte[] _root;
    private readonly Func<SourceEntry, SelectionDecision>? _select;
    private readonly Action<SourceWalkProblem>? _onProblem;
    private readonly bool _followSymlinks;

    /// <param name="root">The source root as raw bytes (a trailing NUL is ignored).</param>
    /// <param name="select">Selection rules; null includes everything. Not asked about the root.</param>
    /// <param name="onProblem">Receives every skipped or failed entry.</param>
    /// <param name="followSymlinks">Examine what symlinks point to, backing up their targets as files and folders (<c>--copy-links</c>).</param>
    public SourceTreeWalker(ReadOnlySpan<byte> root, Func<SourceEntry, SelectionDecision>? select = null, Action<SourceWalkProblem>? onProblem = null, bool followSymlinks = false)
    {
        _followSymlinks = followSymlinks;
        if (!root.IsEmpty && root[^1] == 0) root = root[..^1];
        if (root.IsEmpty) throw new ArgumentException("The source root is empty.", nameof(root));
        _root = root.ToArray();
        _select = select;
        _onProblem = onProblem;
    }

    /// <summary>Problems of the last enumeration that count as errors (unreadable or unexaminable entries).</summary>
    public int ErrorCount { get; private set; }

    /// <inheritdoc />
    public IEnumerator<SourceEntry> GetEnumerator() => Walk().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Frame(SourceEntry directory, List<byte[]> names, bool pending)
    {
        public SourceEntry Directory { get; } = directory;
        public List<byte[]> Names { get; } = names;
        public int Next { get; set; }
        /// <summary>A scanned directory not yet emitted.</summary>
        public bool Pending { get; set; } = pending;
    }

    private IEnumerable<SourceEntry> Walk()
    {
        ErrorCount = 0;
        var layer = FileLayer.Current;
        if (!TryExamine(layer, _root, out var rootStat, out int rootErrno))
        {
            Report(SourceWalkProblemKind.RootMissing, IndexPath.Root, _root, rootErrno);
            yield break;
        }
        var rootEntry = TryMakeEntry(layer, IndexPath.Root, _root, rootStat);
        if (rootEntry is null) yield break;
        yield return rootEntry;
        if (!rootEntry.IsDirectory) yield break;

        var stack = new List<Frame>();
        if (TryList(layer, rootEntry) is { } rootNames) stack.Add(new Frame(rootEntry, rootNames, pending: false));

        while (stack.Count > 0)
        {
            var frame = stack[^1];
            if (frame.Next == frame.Names.Count)
            {
                stack.RemoveAt(stack.Count - 1);
                continue;
            }
            byte[] name = frame.Names[frame.Next];
            frame.Names[frame.Next++] = null!; // let visited names go
            var entry = Examine(layer, frame.Directory, name, out var decision);
            if (entry is null) continue;

            if (decision == SelectionDecision.Include)
            {
                // Scanned ancestors are backed up just before their first included descendant.
                foreach (var f in stack)
                {
                    if (!f.Pending) continue;
                    f.Pending = false;
                    yield return f.Directory;
                }
                yield return entry;
            }
            if (entry.IsDirectory && TryList(layer, entry) is { } names)
                stack.Add(new Frame(entry, names, pending: decision == SelectionDecision.Scan));
        }
    }

    /// <summary>
    /// Examines one child; returns it when it is to be included or (a directory) scanned, else null.
    /// </summary>
    private SourceEntry? Examine(IFileLayer layer, SourceEntry parent, byte[] name, out SelectionDecision decision)
    {
        decision = SelectionDecision.Exclude;
        var index = parent.Index.Append(name);
        byte[] fullPath = LocalFile.Join(parent.FullPath, name);
        if (!TryExamine(layer, fullPath, out var st, out int errno))
        {
            // duplicity treats a link whose target is missing or loops as a path that does not exist: skipped silently.
            if (_followSymlinks && errno is PosixException.ENOENT or PosixException.ELOOP && layer.TryLstat(fullPath, out var link) && link.IsSymlink)
                return null;
            Report(errno == PosixException.ENOENT ? SourceWalkProblemKind.Vanished : SourceWalkProblemKind.CannotStat, index, fullPath, errno);
            return null;
        }
        var entry = TryMakeEntry(layer, index, fullPath, st);
        if (entry is null) return null;

        decision = _select?.Invoke(entry) ?? SelectionDecision.Include;
        if (decision == SelectionDecision.Exclude) return null;
        if (decision == SelectionDecision.Scan && !entry.IsDirectory) return null;
        if ((st.IsRegular || st.IsDirectory) && !layer.IsReadable(fullPath, out errno))
        {
            Report(SourceWalkProblemKind.Unreadable, index, fullPath, errno);
            return null;
        }
        return entry;
    }

    // A symlink whose target is missing (or loops) is reported as stat reports it, like any other path that cannot be examined.
    private bool TryExamine(IFileLayer layer, byte[] path, out PosixStat st, out int errno) =>
        _followSymlinks ? layer.TryStat(path, out st, out errno) : layer.TryLstat(path, out st, out errno);

    private SourceEntry? TryMakeEntry(IFileLayer layer, IndexPath index, byte[] fullPath, in PosixStat st)
    {
        if (st.IsSocket)
        {
            Report(SourceWalkProblemKind.SkippedSocket, index, fullPath, 0);
            return null;
        }
        FileMetadata? metadata;
        try
        {
            metadata = layer.ReadMetadata(fullPath, st);
        }
        catch (PosixException e)
        {
            // A symlink replaced or removed between lstat and readlink.
            Report(e.Errno == PosixException.ENOENT ? SourceWalkProblemKind.Vanished : SourceWalkProblemKind.CannotStat, index, fullPath, e.Errno);
            return null;
        }
        return metadata is null ? null : new SourceEntry(index, metadata, fullPath, st);
    }

    private List<byte[]>? TryList(IFileLayer layer, SourceEntry directory)
    {
        List<byte[]> names;
        try
        {
            names = layer.ReadDirectory(directory.FullPath, _followSymlinks);
        }
        catch (PosixException e)
        {
            Report(SourceWalkProblemKind.CannotList, directory.Index, directory.FullPath, e.Errno);
            return null;
        }
        names.Sort(ByUnsignedBytes);
        return names;
    }

    private void Report(SourceWalkProblemKind kind, IndexPath index, byte[] fullPath, int errno)
    {
        var problem = new SourceWalkProblem(kind, index, fullPath, errno);
        if (problem.CountsAsError) ErrorCount++;
        _onProblem?.Invoke(problem);
    }
}
