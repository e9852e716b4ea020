using System.Buffers;
using System.Text;
using Duplicity.Files;
using Duplicity.Sessions.Restore;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Files;

/// <summary>
/// Small restored files are handed whole to the tree writer, which creates them on a thread of its own
/// (<see cref="WholeFileWorker"/>): they must land as the synchronous path lands them, their folders'
/// metadata must be applied after them, and a failure among them must surface as the same error.
/// </summary>
[Category("Unit")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class WholeFileWriteTests
{
    private const long FolderTime = 1_500_000_000;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static FileMetadata Folder(int mode = 0x1ED) => new() { Type = FileEntryType.Directory, Mode = mode, MTime = FolderTime };

    private static FileMetadata File(int i) => new() { Type = FileEntryType.Regular, Mode = 0x180 | (i % 2 == 0 ? 0x24 : 0), MTime = 1_600_000_000 + i };

    private static byte[] Data(int i) => B(string.Concat(Enumerable.Repeat($"file {i};", i % 50)));

    private static void WriteWhole(RestoreTreeWriter writer, string path, FileMetadata metadata, byte[] content)
    {
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(1, content.Length));
        content.CopyTo(data, 0);
        writer.WriteWholeFile(IndexPath.Parse(path), metadata, data, content.Length);
    }

    [Test]
    public void QueuedFilesLandWithTheirMetadataAndTheirFoldersKeepTheStoredTimes()
    {
        using var tmp = new TempFolder();
        var target = tmp.Sub("target");
        using (var writer = new RestoreTreeWriter(B(target)))
        {
            writer.WriteDirectory(IndexPath.Root, Folder());
            int n = 0;
            foreach (var folder in new[] { "a", "a/x", "b" })
            {
                writer.WriteDirectory(IndexPath.Parse(folder), Folder(0x1C0 | (folder.Length << 3)));
                for (int i = 0; i < 200; i++, n++) WriteWhole(writer, $"{folder}/f{i:D3}", File(n), Data(n));
                // Back in the folder above a sub-folder's files.
                if (folder == "a/x")
                    for (int i = 0; i < 10; i++, n++) WriteWhole(writer, $"a/y{i}", File(n), Data(n));
            }
            for (int i = 0; i < 10; i++, n++) WriteWhole(writer, $"z{i}", File(n), Data(n));
            writer.Complete();
        }

        int k = 0;
        foreach (var folder in new[] { "a", "a/x", "b" })
        {
            for (int i = 0; i < 200; i++, k++) AssertFile(Path.Combine(target, folder, $"f{i:D3}"), k);
            if (folder == "a/x")
                for (int i = 0; i < 10; i++, k++) AssertFile(Path.Combine(target, "a", $"y{i}"), k);
            var info = new DirectoryInfo(Path.Combine(target, folder));
            Assert.That(new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(), Is.EqualTo(FolderTime), $"{folder}'s time set after its files");
            Assert.That((int)info.UnixFileMode, Is.EqualTo(0x1C0 | (folder.Length << 3)), folder);
        }
        for (int i = 0; i < 10; i++, k++) AssertFile(Path.Combine(target, $"z{i}"), k);
        Assert.That(new DateTimeOffset(new DirectoryInfo(target).LastWriteTimeUtc).ToUnixTimeSeconds(), Is.EqualTo(FolderTime));
        Assert.That(Directory.EnumerateFileSystemEntries(target, ".duplicity-*", SearchOption.AllDirectories), Is.Empty, "no temporary names left");
    }

    private static void AssertFile(string path, int i)
    {
        Assert.That(System.IO.File.ReadAllBytes(path), Is.EqualTo(Data(i)), path);
        var info = new FileInfo(path);
        Assert.That((int)info.UnixFileMode, Is.EqualTo(File(i).Mode), path);
        Assert.That(new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(), Is.EqualTo(File(i).MTime), path);
    }

    [Test]
    public void AFailedQueuedFileFailsTheRestoreAndLeavesNoTemporaryFile()
    {
        using var tmp = new TempFolder();
        var target = tmp.Sub("target");
        // A non-empty folder where the archive has a file: the rename cannot replace it.
        Directory.CreateDirectory(Path.Combine(target, "d", "f05", "inside"));
        using var writer = new RestoreTreeWriter(B(target));
        writer.WriteDirectory(IndexPath.Root, Folder());
        writer.WriteDirectory(IndexPath.Parse("d"), Folder());

        var error = Assert.Catch(() =>
        {
            for (int i = 0; i < 10; i++) WriteWhole(writer, $"d/f{i:D2}", File(i), Data(i));
            writer.Complete();
        });

        Assert.That(error, Is.InstanceOf<PosixException>().With.Property(nameof(PosixException.Errno)).EqualTo(39 /* ENOTEMPTY */),
            "the same error as a file written in place");
        Assert.That(Directory.Exists(Path.Combine(target, "d", "f05", "inside")), "what was there is kept");
        Assert.That(Directory.EnumerateFileSystemEntries(target, ".duplicity-*", SearchOption.AllDirectories), Is.Empty, "no temporary names left");
        for (int i = 0; i < 5; i++) AssertFile(Path.Combine(target, "d", $"f{i:D2}"), i);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(RegularFileSink.Threshold)]
    [TestCase(RegularFileSink.Threshold + 1)]
    [TestCase(3 * RegularFileSink.Threshold + 17)]
    public async Task TheSinkHoldsSmallFilesAndStreamsLargeOnes(int size)
    {
        using var tmp = new TempFolder();
        var target = tmp.Sub("target");
        var content = new byte[size];
        new Random(size).NextBytes(content);
        using (var writer = new RestoreTreeWriter(B(target)))
        {
            writer.WriteDirectory(IndexPath.Root, Folder());
            using (var sink = new RegularFileSink(writer, IndexPath.Parse("f")))
            {
                // In uneven pieces, as a tar entry's data comes.
                for (int at = 0; at < size;)
                {
                    int piece = Math.Min(size - at, 10_000 + at % 7_777);
                    if (at % 2 == 0) sink.Write(content, at, piece);
                    else await sink.WriteAsync(content.AsMemory(at, piece));
                    at += piece;
                }
                sink.Commit(File(1));
            }
            writer.Complete();
        }
        Assert.That(System.IO.File.ReadAllBytes(Path.Combine(target, "f")), Is.EqualTo(content));
        Assert.That(new DateTimeOffset(new FileInfo(Path.Combine(target, "f")).LastWriteTimeUtc).ToUnixTimeSeconds(), Is.EqualTo(File(1).MTime));
    }

    [Test]
    public void ASinkDisposedUncommittedLeavesNothing()
    {
        using var tmp = new TempFolder();
        var target = tmp.Sub("target");
        using (var writer = new RestoreTreeWriter(B(target)))
        {
            writer.WriteDirectory(IndexPath.Root, Folder());
            using (var small = new RegularFileSink(writer, IndexPath.Parse("a")))
                small.Write(new byte[100]);
            using (var large = new RegularFileSink(writer, IndexPath.Parse("b")))
                large.Write(new byte[RegularFileSink.Threshold + 100]);
            writer.Complete();
        }
        Assert.That(Directory.EnumerateFileSystemEntries(target), Is.Empty);
    }
}
