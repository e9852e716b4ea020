using System.Collections;
using System.Runtime.ExceptionServices;
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
    private readonly int _parallelism;

    /// <summary>Names of a directory examined side by side at most (parallelism above 1).</summary>
    private const int Window = 32;

    /// <summary>A child directory listed ahead keeps its names only up to this many (else it is listed again when reached), so memory stays bounded.</summary>
    private const int MaxNamesListedAhead = 1024;

    /// <param name="root">The source root as raw bytes (a trailing NUL is ignored).</param>
    /// <param name="select">Selection rules; null includes everything. Not asked about the root.</param>
    /// <param name="onProblem">Receives every skipped or failed entry.</param>
    /// <param name="followSymlinks">Examine what symlinks point to, backing up their targets as files and folders (<c>--copy-links</c>).</param>
    /// <param name="parallelism">
    /// Children examined (lstat, selection) and child directories listed side by side, a window of a
    /// directory's names at a time; 1 (the default) examines one after the other. Entries and problems
    /// come out in the same order either way; above 1, <paramref name="select"/> runs on several threads.
    /// </param>
    public SourceTreeWalker(ReadOnlySpan<byte> root, Func<SourceEntry, SelectionDecision>? select = null, Action<SourceWalkProblem>? onProblem = null, bool followSymlinks = false,
        int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _parallelism = parallelism;
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
        /// <summary>Children examined ahead, in name order.</summary>
        public Queue<Child> Examined { get; } = new();
    }

    /// <summary>One examined child: the entry and decision, the problems met (reported in order when it is reached), and a directory's names when listed ahead.</summary>
    private sealed class Child
    {
        public SourceEntry? Entry;
        public SelectionDecision Decision;
        public List<SourceWalkProblem>? Problems;
        public List<byte[]>? Names;
        public List<SourceWalkProblem>? ListProblems;
        public bool Listed;
        /// <summary>What examining it threw (a selection function's failure, say): thrown when the walk reaches it, after the entries before it.</summary>
        public ExceptionDispatchInfo? Failure;
    }

    private IEnumerable<SourceEntry> Walk()
    {
        ErrorCount = 0;
        var layer = FileLayer.Current;
        if (!TryExamine(layer, _root, out var rootStat, out int rootErrno))
        {
            Report(new SourceWalkProblem(SourceWalkProblemKind.RootMissing, IndexPath.Root, _root, rootErrno));
            yield break;
        }
        var rootProblems = new List<SourceWalkProblem>(0);
        var rootEntry = TryMakeEntry(layer, IndexPath.Root, _root, rootStat, rootProblems);
        ReportAll(rootProblems);
        if (rootEntry is null) yield break;
        yield return rootEntry;
        if (!rootEntry.IsDirectory) yield break;

        var stack = new List<Frame>();
        var rootListProblems = new List<SourceWalkProblem>(0);
        var rootNames = TryList(layer, rootEntry, rootListProblems);
        ReportAll(rootListProblems);
        if (rootNames is not null) stack.Add(new Frame(rootEntry, rootNames, pending: false));

        while (stack.Count > 0)
        {
            var frame = stack[^1];
            if (frame.Examined.Count == 0)
            {
                if (frame.Next == frame.Names.Count)
                {
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }
                ExamineNext(layer, frame);
            }
            var child = frame.Examined.Dequeue();
            child.Failure?.Throw();
            ReportAll(child.Problems);
            var entry = child.Entry;
            if (entry is null) continue;

            if (child.Decision == SelectionDecision.Include)
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
            if (!entry.IsDirectory) continue;
            List<byte[]>? names;
            if (child.Listed)
            {
                ReportAll(child.ListProblems);
                names = child.Names;
            }
            else
            {
                var listProblems = new List<SourceWalkProblem>(0);
                names = TryList(layer, entry, listProblems);
                ReportAll(listProblems);
            }
            if (names is not null)
                stack.Add(new Frame(entry, names, pending: child.Decision == SelectionDecision.Scan));
        }
    }

    /// <summary>Examines the frame's next name, or with parallelism the next window of names side by side, listing the child directories the walk will enter.</summary>
    private void ExamineNext(IFileLayer layer, Frame frame)
    {
        int count = _parallelism == 1 ? 1 : Math.Min(Window, frame.Names.Count - frame.Next);
        var children = new Child[count];
        var names = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            names[i] = frame.Names[frame.Next];
            frame.Names[frame.Next++] = null!; // let visited names go
        }
        if (count == 1)
        {
            children[0] = ExamineChild(layer, frame.Directory, names[0], listAhead: false);
        }
        else
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism },
                i => children[i] = ExamineChild(layer, frame.Directory, names[i], listAhead: true));
        }
        foreach (var child in children) frame.Examined.Enqueue(child);
    }

    /// <summary>
    /// Reads the inodes of a directory the walk will enter into the kernel's cache: one lstat per 16
    /// names, the inodes a 4 KiB inode-table block holds, since files made together sit together. The
    /// walk examines every one of these names anyway; the results are not kept.
    /// </summary>
    private void WarmInodes(IFileLayer layer, byte[] directory, List<byte[]> names)
    {
        for (int i = 0; i < names.Count; i += 16)
            _ = TryExamine(layer, LocalFile.Join(directory, names[i]), out _, out _);
    }

    private Child ExamineChild(IFileLayer layer, SourceEntry parent, byte[] name, bool listAhead)
    {
        var child = new Child();
        var problems = new List<SourceWalkProblem>(0);
        try
        {
            child.Entry = Examine(layer, parent, name, out child.Decision, problems);
        }
#pragma warning disable CA1031 // Kept with the child and thrown in order (see Child.Failure).
        catch (Exception e)
#pragma warning restore CA1031
        {
            child.Failure = ExceptionDispatchInfo.Capture(e);
            return child;
        }
        if (problems.Count > 0) child.Problems = problems;
        if (listAhead && child.Entry is { IsDirectory: true } directory)
        {
            // The walk enters every included or scanned directory: listed now, its directory blocks are
            // read from the disk side by side with its siblings' instead of one at a time.
            var listProblems = new List<SourceWalkProblem>(0);
            var listed = TryList(layer, directory, listProblems);
            if (listed is not null) WarmInodes(layer, directory.FullPath, listed);
            if (listed is null || listed.Count <= MaxNamesListedAhead)
            {
                child.Listed = true;
                child.Names = listed;
                if (listProblems.Count > 0) child.ListProblems = listProblems;
            }
        }
        return child;
    }

    /// <summary>
    /// Examines one child; returns it when it is to be included or (a directory) scanned, else null.
    /// </summary>
    private SourceEntry? Examine(IFileLayer layer, SourceEntry parent, byte[] name, out SelectionDecision decision, List<SourceWalkProblem> problems)
    {
        decision = SelectionDecision.Exclude;
        var index = parent.Index.Append(name);
        byte[] fullPath = LocalFile.Join(parent.FullPath, name);
        if (!TryExamine(layer, fullPath, out var st, out int errno))
        {
            // duplicity treats a link whose target is missing or loops as a path that does not exist: skipped silently.
            if (_followSymlinks && errno is PosixException.ENOENT or PosixException.ELOOP && layer.TryLstat(fullPath, out var link) && link.IsSymlink)
                return null;
            problems.Add(new SourceWalkProblem(errno == PosixException.ENOENT ? SourceWalkProblemKind.Vanished : SourceWalkProblemKind.CannotStat, index, fullPath, errno));
            return null;
        }
        var entry = TryMakeEntry(layer, index, fullPath, st, problems);
        if (entry is null) return null;

        decision = _select?.Invoke(entry) ?? SelectionDecision.Include;
        if (decision == SelectionDecision.Exclude) return null;
        if (decision == SelectionDecision.Scan && !entry.IsDirectory) return null;
        if ((st.IsRegular || st.IsDirectory) && !layer.IsReadable(fullPath, out errno))
        {
            problems.Add(new SourceWalkProblem(SourceWalkProblemKind.Unreadable, index, fullPath, errno));
            return null;
        }
        return entry;
    }

    // A symlink whose target is missing (or loops) is reported as stat reports it, like any other path that cannot be examined.
    private bool TryExamine(IFileLayer layer, byte[] path, out PosixStat st, out int errno) =>
        _followSymlinks ? layer.TryStat(path, out st, out errno) : layer.TryLstat(path, out st, out errno);

    private static SourceEntry? TryMakeEntry(IFileLayer layer, IndexPath index, byte[] fullPath, in PosixStat st, List<SourceWalkProblem> problems)
    {
        if (st.IsSocket)
        {
            problems.Add(new SourceWalkProblem(SourceWalkProblemKind.SkippedSocket, index, fullPath, 0));
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
            problems.Add(new SourceWalkProblem(e.Errno == PosixException.ENOENT ? SourceWalkProblemKind.Vanished : SourceWalkProblemKind.CannotStat, index, fullPath, e.Errno));
            return null;
        }
        return metadata is null ? null : new SourceEntry(index, metadata, fullPath, st);
    }

    private List<byte[]>? TryList(IFileLayer layer, SourceEntry directory, List<SourceWalkProblem> problems)
    {
        List<byte[]> names;
        try
        {
            names = layer.ReadDirectory(directory.FullPath, _followSymlinks);
        }
        catch (PosixException e)
        {
            problems.Add(new SourceWalkProblem(SourceWalkProblemKind.CannotList, directory.Index, directory.FullPath, e.Errno));
            return null;
        }
        names.Sort(ByUnsignedBytes);
        return names;
    }

    private void ReportAll(List<SourceWalkProblem>? problems)
    {
        if (problems is null) return;
        foreach (var problem in problems) Report(problem);
    }

    private void Report(SourceWalkProblem problem)
    {
        if (problem.CountsAsError) ErrorCount++;
        _onProblem?.Invoke(problem);
    }
}
