using Duplicity.Rsync;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class SignatureBuilderThreadTests
{
    [TestCase(0, 2048)]
    [TestCase(1, 512)]
    [TestCase(100_000, 512)]
    [TestCase(3_000_001, 2048)]
    public void WritesWhatTheBuilderWrites(int length, int blockLength)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var expected = RsyncTestData.MakeSignature(data, blockLength);

        var output = new MemoryStream();
        using (var thread = new SignatureBuilderThread(blockLength, output))
        {
            // Pieces of every size up to the largest, from one buffer reused at once, as the backup feeds it.
            var random = new Random(7);
            var piece = new byte[SignatureBuilderThread.MaxPiece];
            for (int at = 0; at < length;)
            {
                int n = Math.Min(length - at, random.Next(1, SignatureBuilderThread.MaxPiece + 1));
                data.AsSpan(at, n).CopyTo(piece);
                thread.Append(piece.AsSpan(0, n));
                piece.AsSpan(0, n).Fill(0xAA);
                at += n;
            }
            thread.Complete();
        }
        Assert.That(output.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void AFailingOutputSurfacesOnCompleteAndNeverBlocksTheCaller()
    {
        var output = new FailAfterStream(20_000);
        using var thread = new SignatureBuilderThread(512, output);
        var piece = new byte[SignatureBuilderThread.MaxPiece];
        // Far more pieces than the thread has buffers: after the failure they are still taken.
        for (int i = 0; i < 200; i++) thread.Append(piece);
        var e = Assert.Throws<IOException>(thread.Complete);
        Assert.That(e!.Message, Is.EqualTo("disk full"));
    }

    [Test]
    public void DisposingWithoutCompletingStopsTheThread()
    {
        var output = new MemoryStream();
        var thread = new SignatureBuilderThread(512, output);
        thread.Append(new byte[10_000]);
        thread.Dispose();
        Assert.Throws<ObjectDisposedException>(() => thread.Append(new byte[1]));
    }

    private sealed class FailAfterStream(int limit) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit) throw new IOException("disk full");
            base.Write(buffer, offset, count);
        }
    }
}
