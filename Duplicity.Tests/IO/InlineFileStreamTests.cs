using Duplicity.IO;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.IO;

/// <summary>
/// The restore's file streams run their asynchronous calls on the caller's thread (no thread-pool hop per
/// write), honour cancellation, and read and write the same bytes as the synchronous calls.
/// </summary>
public class InlineFileStreamTests
{
    [Test]
    public async Task AsynchronousCallsCompleteOnTheCallersThreadWithTheSameBytes()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        var data = new byte[300_000];
        new Random(7).NextBytes(data);
        await using (var stream = PrivateFile.OpenInline(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var write = stream.WriteAsync(data.AsMemory(0, 200_000));
            Assert.That(write.IsCompleted, Is.True, "the write ran inline");
            await write;
#pragma warning disable CA1835 // the array overload is overridden too, and tested here
            await stream.WriteAsync(data, 200_000, 100_000);
#pragma warning restore CA1835
            await stream.FlushAsync();
            stream.Position = 0;
            var back = new byte[data.Length];
            int total = 0;
            while (true)
            {
                var read = stream.ReadAsync(back.AsMemory(total));
                Assert.That(read.IsCompleted, Is.True, "the read ran inline");
                int n = await read;
                if (n == 0) break;
                total += n;
            }
            Assert.That(total, Is.EqualTo(data.Length));
            Assert.That(back, Is.EqualTo(data));
        }
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "a private file");
    }

    [Test]
    public async Task ACancelledTokenStopsReadsAndWritesBeforeTheyRun()
    {
        using var tmp = new TempFolder();
        var path = tmp.Sub("f");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await using var stream = PrivateFile.OpenInline(path, FileMode.CreateNew, FileAccess.ReadWrite);
        Assert.That(async () => await stream.WriteAsync(new byte[10], cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await stream.ReadAsync(new byte[10], cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await stream.FlushAsync(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(stream.Length, Is.Zero, "nothing was written");
    }
}
