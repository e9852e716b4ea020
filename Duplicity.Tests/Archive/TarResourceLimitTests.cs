using System.Text;
using Duplicity.Archive.Signatures;
using Duplicity.Archive.Tar;

namespace Duplicity.Tests.Archive;

/// <summary>Tar metadata built to exhaust memory: pax floods, huge names, base-256 sizes. Each is a typed error.</summary>
[Category("Fault")]
public class TarResourceLimitTests
{
    private static byte[] PaxRecord(string key, int valueLength)
    {
        int body = 1 + key.Length + 1 + valueLength + 1; // " key=value\n"
        int length = body + 1;
        while (length.ToString().Length + body != length) length = length.ToString().Length + body;
        return Encoding.ASCII.GetBytes($"{length} {key}=").Concat(Enumerable.Repeat((byte)'v', valueLength)).Append((byte)'\n').ToArray();
    }

    /// <summary>An extended header block of type <paramref name="type"/> with <paramref name="body"/>, padded.</summary>
    private static void WriteExtended(Stream tar, byte type, byte[] body)
    {
        TarHeaderWriter.Write(new TarEntryHeader { Name = "././@PaxHeader"u8.ToArray(), TypeFlag = type, Size = body.Length }, tar);
        tar.Write(body);
        TarHeaderWriter.WritePadding(tar, body.Length);
    }

    private static TarEntryHeader Regular(string name, long size) =>
        new() { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Regular, Mode = 0x1A4, Size = size };

    private static byte[] TarWith(Action<Stream> extended)
    {
        var tar = new MemoryStream();
        extended(tar);
        TarHeaderWriter.Write(Regular("snapshot/a", 3), tar);
        tar.Write("abc"u8);
        TarHeaderWriter.WritePadding(tar, 3);
        tar.Write(new byte[1024]);
        return tar.ToArray();
    }

    private static TarEntryHeader? First(byte[] tar) => new TarReader(new MemoryStream(tar)).Next();

    [Test]
    public void PaxRecordsUpToTheCapAreRead()
    {
        var tar = TarWith(t =>
        {
            WriteExtended(t, TarTypeFlag.PaxExtended, PaxRecord("comment", 400_000));
            WriteExtended(t, TarTypeFlag.PaxExtended, PaxRecord("comment", 400_000));
        });
        Assert.That(First(tar)!.Describe(), Is.EqualTo("snapshot/a"));
    }

    [Test]
    public void APaxFloodBeforeOneEntryIsCorrupt()
    {
        var tar = TarWith(t =>
        {
            for (int i = 0; i < 3; i++) WriteExtended(t, TarTypeFlag.PaxExtended, PaxRecord("comment" + i, 400_000));
        });
        var e = Assert.Throws<ArchiveCorruptException>(() => First(tar));
        Assert.That(e!.Message, Does.Contain("exceed"));
    }

    [Test]
    public void AGnuLongNameFloodIsCorrupt()
    {
        var tar = TarWith(t =>
        {
            for (int i = 0; i < 3; i++) WriteExtended(t, TarTypeFlag.GnuLongName, Enumerable.Repeat((byte)'n', 400_000).ToArray());
        });
        Assert.Throws<ArchiveCorruptException>(() => First(tar));
    }

    [Test]
    public void GlobalPaxRecordsPilingUpAcrossEntriesAreCorrupt()
    {
        var tar = new MemoryStream();
        for (int i = 0; i < 4; i++)
        {
            WriteExtended(tar, TarTypeFlag.PaxGlobal, PaxRecord("key" + i, 300_000));
            TarHeaderWriter.Write(Regular("snapshot/f" + i, 0), tar);
        }
        tar.Write(new byte[1024]);
        using var reader = new TarReader(new MemoryStream(tar.ToArray()));
        Assert.That(reader.Next(), Is.Not.Null);
        Assert.That(reader.Next(), Is.Not.Null);
        Assert.That(reader.Next(), Is.Not.Null);
        Assert.Throws<ArchiveCorruptException>(() => reader.Next());
    }

    [Test]
    public void NamesAndLinkTargetsOverTheCapAreCorrupt()
    {
        var longName = TarWith(t => WriteExtended(t, TarTypeFlag.PaxExtended, PaxRecord("path", TarReader.MaxNameLength + 1)));
        Assert.Throws<ArchiveCorruptException>(() => First(longName));
        var longLink = TarWith(t => WriteExtended(t, TarTypeFlag.GnuLongLink, Enumerable.Repeat((byte)'l', TarReader.MaxNameLength + 1).ToArray()));
        Assert.Throws<ArchiveCorruptException>(() => First(longLink));
        var fine = TarWith(t => WriteExtended(t, TarTypeFlag.PaxExtended, PaxRecord("path", 4000)));
        Assert.That(First(fine)!.Name, Has.Length.EqualTo(4000));
    }

    /// <summary>A regular entry whose size field is base-256 <paramref name="size"/>, followed by <paramref name="data"/> and no more.</summary>
    internal static byte[] Base256SizeEntry(string name, long size, byte[] data)
    {
        var block = new byte[512];
        TarHeaderWriter.Write(Regular(name, 0), block);
        var field = block.AsSpan(124, 12);
        field.Clear();
        field[0] = 0x80;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(field[4..], size);
        block.AsSpan(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in block) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(block, 148);
        return [.. block, .. data];
    }

    [Test]
    public void AHugeBase256SizeIsReadAsALongAndTruncationIsTyped()
    {
        var tar = Base256SizeEntry("snapshot/huge", 1L << 62, new byte[4096]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = new TarReader(new MemoryStream(tar));
        var h = reader.Next()!;
        Assert.That(h.Size, Is.EqualTo(1L << 62));
        var buffer = new byte[65536];
        Assert.Throws<ArchiveCorruptException>(() => { while (reader.ReadData(buffer) > 0) { } });
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20), "nothing sized by the header");
    }

    [Test]
    public void ABase256SizeThatOverflowsALongIsCorrupt()
    {
        var tar = Base256SizeEntry("snapshot/huge", 0, []);
        tar[125] = 0x01; // a significant byte beyond the 8 a long holds
        int sum = 0;
        tar.AsSpan(148, 8).Fill((byte)' ');
        foreach (byte b in tar.AsSpan(0, 512)) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, 148);
        Assert.Throws<ArchiveCorruptException>(() => First(tar));
    }

    [Test]
    public void ASignatureEntryClaimingTerabytesAllocatesNothingOfThatSize()
    {
        // Signature archive entries are parsed as they stream by; this one claims 1 TiB and holds 24 bytes.
        byte[] signature = [0x72, 0x73, 0x01, 0x36, 0, 0, 8, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var tar = Base256SizeEntry("signature/big", 1L << 40, signature);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = new CombinedSignatureReader([new MemoryStream(tar)]);
        Assert.Throws<ArchiveCorruptException>(() => reader.Next());
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 << 20));
    }

    [Test]
    public void ASignatureEntryIsParsedWhileStreaming()
    {
        byte[] signature = [0x72, 0x73, 0x01, 0x36, 0, 0, 8, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var tar = new MemoryStream();
        TarHeaderWriter.Write(Regular("signature/f", signature.Length), tar);
        tar.Write(signature);
        TarHeaderWriter.WritePadding(tar, signature.Length);
        tar.Write(new byte[1024]);
        using var reader = new CombinedSignatureReader([new MemoryStream(tar.ToArray())]);
        var entry = reader.Next()!;
        Assert.That(entry.Signature!.BlockCount, Is.EqualTo(1));
        Assert.That(entry.Signature.BlockLength, Is.EqualTo(2048));
        Assert.That(entry.Signature.WeakSum(0), Is.EqualTo(0x01020304u));
        Assert.That(reader.Next(), Is.Null);
    }
}
