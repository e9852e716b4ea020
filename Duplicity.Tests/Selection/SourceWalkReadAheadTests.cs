using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using System.Text;
using Duplicity.Files;
using Duplicity.Selection;
using Duplicity.Tests.Files;

namespace Duplicity.Tests.Selection;

[Category("Unit")]
public class SourceWalkReadAheadTests
{
    private static ScratchTree MakeTree(out Socket socket)
    {
        var tree = new ScratchTree();
        for (int d = 0; d < 12; d++)
        {
            tree.Dir($"d{d:00}");
            for (int f = 0; f < 40; f++) tree.File($"d{d:00}/f{f:00}");
        }
        tree.Dir("d05/inner");
        tree.File("d05/inner/x");
        // A socket is skipped and reported: a problem between entries.
        socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Encoding.UTF8.GetString(tree.PathOf("d03/sock"))));
        return tree;
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(SourceWalkReadAhead.DefaultCapacity)]
    public void EntriesAndProblemsComeInTheWalkersOrderOnTheReadersThread(int capacity)
    {
        using var tree = MakeTree(out var socket);
        using (socket)
        {
            var direct = new List<string>();
            foreach (var entry in new SourceTreeWalker(tree.Root, onProblem: p => direct.Add("problem " + p.Index)))
                direct.Add(entry.Index.ToString());

            var ahead = new List<string>();
            int reader = Environment.CurrentManagedThreadId;
            var problemThreads = new List<int>();
            var selectThreads = new HashSet<int>();
            var readAhead = new SourceWalkReadAhead(tree.Root,
                select: _ => { lock (selectThreads) selectThreads.Add(Environment.CurrentManagedThreadId); return SelectionDecision.Include; },
                onProblem: p => { problemThreads.Add(Environment.CurrentManagedThreadId); ahead.Add("problem " + p.Index); },
                capacity: capacity);
            foreach (var entry in readAhead)
                ahead.Add(entry.Index.ToString());

            Assert.That(direct, Has.Count.GreaterThan(480));
            Assert.That(direct, Does.Contain("problem d03/sock"));
            Assert.That(ahead, Is.EqualTo(direct));
            Assert.That(problemThreads, Is.EqualTo(new[] { reader }), "problems reach the callback on the reader's thread");
            Assert.That(selectThreads, Does.Not.Contain(reader), "the walk itself runs on a thread of its own");
        }
    }

    [TestCase(2)]
    [TestCase(4)]
    public void AParallelWalkGivesTheSequentialWalksEntriesDecisionsAndProblems(int parallelism)
    {
        using var tree = MakeTree(out var socket);
        using (socket)
        {
            // A directory too big to keep its names listed ahead, excluded and scanned directories, and
            // files included deep inside a scanned one (its ancestors come out just before them).
            tree.Dir("big");
            for (int f = 0; f < 1100; f++) tree.File($"big/{f:0000}");
            tree.Dir("d07/skip");
            tree.File("d07/skip/gone");
            tree.Dir("d08/scan");
            tree.Dir("d08/scan/deeper");
            tree.File("d08/scan/deeper/wanted");
            tree.File("d08/scan/unwanted");
            Posix.Symlink("d00"u8, tree.PathOf("d09/link"));
            SelectionDecision Select(SourceEntry e) => e.Index.ToString() switch
            {
                "d07/skip" => SelectionDecision.Exclude,
                "d08/scan" or "d08/scan/deeper" => SelectionDecision.Scan,
                "d08/scan/unwanted" => SelectionDecision.Exclude,
                var p when p.StartsWith("d10/", StringComparison.Ordinal) && p.EndsWith('7') => SelectionDecision.Exclude,
                _ => SelectionDecision.Include,
            };

            List<string> Run(int n)
            {
                var log = new List<string>();
                var walker = new SourceTreeWalker(tree.Root, Select, p => log.Add($"problem {p.Kind} {p.Index}"), parallelism: n);
                foreach (var entry in walker) log.Add($"{entry.Index} {entry.Metadata.Type} {entry.Metadata.Size}");
                log.Add($"errors {walker.ErrorCount}");
                return log;
            }

            var sequential = Run(1);
            Assert.That(sequential, Does.Contain("d08/scan/deeper/wanted Regular 1"));
            Assert.That(sequential, Does.Not.Contain("d07/skip/gone Regular 1"));
            Assert.That(sequential.Count(l => l.StartsWith("big/", StringComparison.Ordinal)), Is.EqualTo(1100));
            Assert.That(Run(parallelism), Is.EqualTo(sequential));
        }
    }

    [Test]
    public void FetchingFilesAheadChangesNothingAndNeverWaitsOnOddObjects()
    {
        using var tree = MakeTree(out var socket);
        using (socket)
        {
            // A FIFO with no writer and an unreadable file: an open that blocked or threw would show here.
            Posix.Mkfifo(tree.PathOf("d04/pipe"), 0x1A4);
            var locked = tree.File("d04/locked", "secret");
            Posix.Chmod(locked, 0);
            var direct = new SourceTreeWalker(tree.Root).Select(e => e.Index.ToString()).ToList();
            var ahead = new SourceWalkReadAhead(tree.Root, prefetchFiles: true).Select(e => e.Index.ToString()).ToList();
            Assert.That(ahead, Is.EqualTo(direct));
            Assert.That(ahead, Does.Contain("d04/pipe"));

            var layer = FileLayer.Current;
            Assert.DoesNotThrow(() =>
            {
                layer.PrefetchSourceFile(tree.PathOf("d04/pipe"), 1000);
                layer.PrefetchSourceFile(tree.PathOf("d04"), 1000);
                layer.PrefetchSourceFile(tree.PathOf("missing"), 1000);
                layer.PrefetchSourceFile(locked, 1000);
            });
        }
    }

    [Test]
    public void FilesAreFetchedAheadOnlyWithinTheBudgetUntilTheReaderCatchesUp()
    {
        using var tree = new ScratchTree();
        int withinBudget = (int)(SourceWalkReadAhead.PrefetchBudget / SourceWalkReadAhead.PrefetchBytes);
        int files = withinBudget + 1000;
        for (int i = 0; i < files; i++)
        {
            // Sparse: sizes are all the walk and the fetch requests look at.
            using var f = File.Open(Encoding.UTF8.GetString(tree.PathOf($"f{i:0000}")), FileMode.CreateNew);
            f.SetLength(SourceWalkReadAhead.PrefetchBytes);
        }
        var layer = new RecordingLayer(FileLayer.Current);
        using (FileLayer.Use(layer))
        {
            // The walk may run up to 100 entries past the budget's worth of files.
            using var reader = new SourceWalkReadAhead(tree.Root, prefetchFiles: true, capacity: withinBudget + 100).GetEnumerator();
            Assert.That(reader.MoveNext(), Is.True);
            Thread.Sleep(300); // the walk runs on as far as its queue lets it
            long fetched = layer.Fetched;
            Assert.That(fetched, Is.EqualTo(SourceWalkReadAhead.PrefetchBudget), "fetched up to the budget and no further");
            int read = 1;
            while (reader.MoveNext()) read++;
            Assert.That(read, Is.EqualTo(files + 1));
            Assert.That(layer.Fetched, Is.GreaterThan(fetched), "the reader's progress freed budget for more");
        }
    }

    /// <summary>The current layer, counting the bytes asked to be fetched ahead.</summary>
    private sealed class RecordingLayer(IFileLayer inner) : IFileLayer
    {
        private long _fetched;

        public long Fetched => Interlocked.Read(ref _fetched);

        public void PrefetchSourceFile(ReadOnlySpan<byte> path, long length, bool followSymlinks = false)
        {
            Interlocked.Add(ref _fetched, length);
            inner.PrefetchSourceFile(path, length, followSymlinks);
        }

        public string Name => inner.Name;
        public bool KnowsOwners => inner.KnowsOwners;
        public uint? EffectiveUserId => inner.EffectiveUserId;
        public bool TryLstat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) => inner.TryLstat(path, out st, out errno);
        public bool TryStat(ReadOnlySpan<byte> path, out PosixStat st, out int errno) => inner.TryStat(path, out st, out errno);
        public List<byte[]> ReadDirectory(ReadOnlySpan<byte> path, bool followSymlink = false) => inner.ReadDirectory(path, followSymlink);
        public bool IsReadable(ReadOnlySpan<byte> path, out int errno) => inner.IsReadable(path, out errno);
        public FileMetadata? ReadMetadata(ReadOnlySpan<byte> path, in PosixStat st) => inner.ReadMetadata(path, st);
        public SafeFileHandle OpenSourceFile(ReadOnlySpan<byte> path, in PosixStat walked, bool followSymlinks = false) => inner.OpenSourceFile(path, walked, followSymlinks);
        public void SyncDirectory(ReadOnlySpan<byte> path) => inner.SyncDirectory(path);
        public void RemoveDirectory(ReadOnlySpan<byte> path) => inner.RemoveDirectory(path);
        public void RemoveFile(ReadOnlySpan<byte> path) => inner.RemoveFile(path);
        public string CreateUniqueDirectory(string template) => inner.CreateUniqueDirectory(template);
        public uint? LookupUserId(string name) => inner.LookupUserId(name);
        public uint? LookupGroupId(string name) => inner.LookupGroupId(name);
        public IRestoreTreeWriter CreateRestoreWriter(ReadOnlySpan<byte> target, RestoreWriterPolicy? policy, ILogger? logger) => inner.CreateRestoreWriter(target, policy, logger);
    }

    [Test]
    public void AReaderThatStopsEarlyStopsTheWalk()
    {
        using var tree = MakeTree(out var socket);
        using (socket)
        {
            int examined = 0;
            var readAhead = new SourceWalkReadAhead(tree.Root, select: _ => { Interlocked.Increment(ref examined); return SelectionDecision.Include; }, capacity: 4);
            var firstThree = readAhead.Take(3).Select(e => e.Index.ToString()).ToList();
            Assert.That(firstThree, Is.EqualTo(new[] { ".", "d00", "d00/f00" }));
            int atStop = Volatile.Read(ref examined);
            Thread.Sleep(50);
            Assert.That(Volatile.Read(ref examined), Is.EqualTo(atStop), "the walking thread has ended");
            // The queue's 4 entries, plus the windows of names examined side by side on the current path.
            Assert.That(atStop, Is.LessThan(100), "it ran only a bounded number of entries ahead");
        }
    }

    [Test]
    public void AFailureOfTheWalkSurfacesToTheReaderAfterTheEntriesBeforeIt()
    {
        using var tree = MakeTree(out var socket);
        using (socket)
        {
            var readAhead = new SourceWalkReadAhead(tree.Root, select: e =>
                e.Index.ToString() == "d02/f10" ? throw new InvalidOperationException("selection failed") : SelectionDecision.Include);
            var seen = new List<string>();
            var e = Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (var entry in readAhead) seen.Add(entry.Index.ToString());
            });
            Assert.That(e!.Message, Is.EqualTo("selection failed"));
            Assert.That(seen[^1], Is.EqualTo("d02/f09"));
        }
    }

    [Test]
    public void EachEnumerationWalksAfresh()
    {
        using var tree = MakeTree(out var socket);
        using (socket)
        {
            var readAhead = new SourceWalkReadAhead(tree.Root);
            int first = readAhead.Count();
            tree.File("d11/new");
            Assert.That(readAhead.Count(), Is.EqualTo(first + 1));
        }
    }
}
