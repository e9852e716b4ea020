using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Tests.Archive;

[Category("Unit")]
public class TarReaderTests
{
    private static string TypeName(byte flag) => flag switch
    {
        TarTypeFlag.Regular => "reg",
        TarTypeFlag.Directory => "dir",
        TarTypeFlag.Symlink => "sym",
        _ => "other",
    };

    private static List<(TarEntryHeader Header, byte[] Data)> ReadAll(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var result = new List<(TarEntryHeader, byte[])>();
        while (reader.Next() is { } h)
        {
            using var ms = new MemoryStream();
            reader.OpenData().CopyTo(ms);
            result.Add((h, ms.ToArray()));
        }
        return result;
    }

    [Test]
    public void ReadsEveryFixtureTarAsFixtureMdDescribes()
    {
        var expected = ArchiveFixture.ExpectedTars();
        Assert.That(expected, Has.Count.EqualTo(12));
        foreach (var tar in expected)
        {
            byte[] plain = ArchiveFixture.Plaintext(tar.File);
            Assert.That(plain.LongLength, Is.EqualTo(tar.PlaintextLength), tar.File);
            // Streamed straight off the (non-seekable) gzip stream, reading no data: the reader skips it.
            using var gz = new GZipStream(File.OpenRead(Path.Combine(ArchiveFixture.Remote, tar.File)), CompressionMode.Decompress);
            using var reader = new TarReader(gz);
            var entries = new List<ArchiveFixture.ExpectedEntry>();
            while (reader.Next() is { } h)
                entries.Add(new ArchiveFixture.ExpectedEntry(Encoding.UTF8.GetString(h.Name), TypeName(h.TypeFlag), h.Size));
            Assert.That(entries, Is.EqualTo(tar.Entries), tar.File);
            Assert.That(reader.EntriesEnd, Is.EqualTo(tar.EntriesEnd), tar.File);
            Assert.That(reader.Next(), Is.Null, "stays at the end");
        }
    }

    [Test]
    public void FixtureContentAndMetadata()
    {
        var full = Enumerable.Range(1, 6).SelectMany(n => ReadAll(ArchiveFixture.Plaintext($"duplicity-full.20200913T122820Z.vol{n}.difftar.gz"))).ToList();
        byte[] big = full.Where(e => Encoding.UTF8.GetString(e.Header.Name).StartsWith("multivol_snapshot/big.bin/")).SelectMany(e => e.Data).ToArray();
        Assert.That(big.Length, Is.EqualTo(320000));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(big)), Is.EqualTo("bf1536973c0f6451a85c2e014e9d814ddd174bd6f94feb2d1a8ff8870d6bab8d"));

        var a = full.Single(e => Encoding.UTF8.GetString(e.Header.Name) == "snapshot/a.txt");
        Assert.That(Encoding.UTF8.GetString(a.Data), Is.EqualTo("alpha version 1\n"));
        FileMetadata m = a.Header.ToMetadata();
        Assert.That((m.Type, m.Mode, m.MTime, m.Size, m.UserName, m.GroupName), Is.EqualTo((FileEntryType.Regular, 0x1a4, 1600000000L, 16L, "root", "root")));

        var link = full.Single(e => Encoding.UTF8.GetString(e.Header.Name) == "snapshot/link").Header.ToMetadata();
        Assert.That((link.Type, link.Mode, Encoding.UTF8.GetString(link.LinkTarget!)), Is.EqualTo((FileEntryType.Symlink, 0x1ff, "a.txt")));
        var root = full[0].Header.ToMetadata();
        Assert.That((root.Type, root.Mode), Is.EqualTo((FileEntryType.Directory, 0x1ed)));

        var inc = ReadAll(ArchiveFixture.Plaintext("duplicity-inc.20200913T122820Z.to.20200913T132820Z.vol1.difftar.gz"));
        var deleted = inc.Single(e => Encoding.UTF8.GetString(e.Header.Name) == "deleted/gone.txt").Header;
        Assert.That((deleted.TypeFlag, deleted.Mode, deleted.Uid, deleted.Gid, deleted.UserName, deleted.GroupName, deleted.MTime, deleted.Size),
            Is.EqualTo((TarTypeFlag.Regular, 0, 0L, 0L, "", "", 0L, 0L)));
    }

    [Test]
    public async Task ReadsAsynchronously()
    {
        await using var gz = new GZipStream(File.OpenRead(Path.Combine(ArchiveFixture.Remote, "duplicity-full.20200913T122820Z.vol6.difftar.gz")), CompressionMode.Decompress);
        using var reader = new TarReader(gz, leaveOpen: true);
        var sizes = new List<long>();
        var buffer = new byte[7];
        while (await reader.NextAsync() is { } h)
        {
            long total = 0;
            int n;
            while ((n = await reader.ReadDataAsync(buffer)) > 0) total += n;
            sizes.Add(total);
            Assert.That(total, Is.EqualTo(h.Size));
        }
        Assert.That(sizes, Is.EqualTo(new long[] { 0, 15, 50, 18, 0, 0, 12, 15 }));
        Assert.That(reader.EntriesEnd, Is.EqualTo(7680));
    }

    [Test]
    public void StopsAtTheFirstZeroBlockAndIgnoresWhatFollows()
    {
        byte[] vol6 = ArchiveFixture.Plaintext("duplicity-full.20200913T122820Z.vol6.difftar.gz");
        byte[] garbage = RandomNumberGenerator.GetBytes(3000);
        byte[] gpgStyle = [.. vol6, .. new byte[512], .. garbage];
        Assert.That(ReadAll(gpgStyle), Has.Count.EqualTo(8));
        // A stream ending inside the last entry's padding is accepted, as by Python's tarfile.
        Assert.That(ReadAll(vol6[..^497]), Has.Count.EqualTo(8));
        Assert.That(ReadAll([]), Is.Empty);
    }

    [Test]
    public void TruncatedOrCorruptInputThrows()
    {
        byte[] vol6 = ArchiveFixture.Plaintext("duplicity-full.20200913T122820Z.vol6.difftar.gz");
        byte[] vol1 = ArchiveFixture.Plaintext("duplicity-full.20200913T122820Z.vol1.difftar.gz");
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(vol6[..300]), "truncated header");
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(vol6[..(512 * 3 + 100)]), "truncated second header");
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(vol1[..(512 * 5 + 1000)]), "truncated data while reading");
        Assert.Throws<ArchiveCorruptException>(() =>
        {
            using var r = new TarReader(new MemoryStream(vol1[..(512 * 5 + 1000)]));
            while (r.Next() is not null) { }
        }, "truncated data while skipping");

        byte[] badSum = (byte[])vol6.Clone();
        badSum[10] ^= 1;
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(badSum), "bad checksum");
        byte[] badOctal = Rewrite(vol6, 0, h => h[124] = (byte)'9');
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(badOctal), "bad number");
    }

    [Test]
    public void HostileSizesThrow()
    {
        // A size far beyond the data.
        byte[] huge = Entry(new TarEntryHeader { Name = "snapshot/x"u8.ToArray(), Size = 1L << 40 }, 100);
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(huge));
        // A negative base-256 size.
        byte[] negative = Rewrite(Entry(new TarEntryHeader { Name = "snapshot/x"u8.ToArray() }, 0), 0, h =>
        {
            h.AsSpan(124, 12).Fill(0xff);
        });
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(negative));
        // A negative pax size.
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(PaxThenEntry("11 size=-1\n", new TarEntryHeader { Name = "snapshot/x"u8.ToArray() })));
        // An oversized extended header.
        byte[] bigPax = Entry(new TarEntryHeader { Name = "././@PaxHeader"u8.ToArray(), TypeFlag = TarTypeFlag.PaxExtended, Size = 2 << 20 }, 0);
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(bigPax));
        // Malformed pax records and an extended header at the end.
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(PaxThenEntry("99 path=x\n", new TarEntryHeader { Name = "snapshot/x"u8.ToArray() })));
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(PaxThenEntry("10 pathx\n", new TarEntryHeader { Name = "snapshot/x"u8.ToArray() })));
        byte[] paxOnly = PaxThenEntry("10 path=y\n", new TarEntryHeader { Name = "snapshot/x"u8.ToArray() })[..1024];
        Assert.Throws<ArchiveCorruptException>(() => ReadAll(paxOnly));
        Assert.Throws<ArchiveCorruptException>(() => ReadAll([.. paxOnly, .. new byte[1024]]));
    }

    [Test]
    public void PaxRecordsAndOldFormsAreApplied()
    {
        var entries = ReadAll(PaxThenEntry("10 path=y\n23 mtime=1600000000.75\n13 uid=12345\n13 uname=bob\n",
            new TarEntryHeader { Name = "snapshot/x"u8.ToArray(), Mode = 0x1a4 }));
        Assert.That(entries, Has.Count.EqualTo(1));
        var h = entries[0].Header;
        Assert.That((Encoding.UTF8.GetString(h.Name), h.MTime, h.Uid, h.UserName), Is.EqualTo(("y", 1600000000L, 12345L, "bob")));
        Assert.That(h.HeaderOffset, Is.EqualTo(0));

        // Typeflag NUL is a regular file; NUL with a trailing slash an old-style directory.
        var old = ReadAll([.. Entry(new TarEntryHeader { Name = "snapshot/f"u8.ToArray(), TypeFlag = 0, Size = 3 }, 3), .. Entry(new TarEntryHeader { Name = "snapshot/d/"u8.ToArray(), TypeFlag = 0 }, 0)]);
        Assert.That(old[0].Header.ToMetadata().Type, Is.EqualTo(FileEntryType.Regular));
        Assert.That(old[0].Data.Length, Is.EqualTo(3));
        Assert.That(old[1].Header.ToMetadata().Type, Is.EqualTo(FileEntryType.Directory));

        // Base-256 numbers.
        byte[] b256 = Rewrite(Entry(new TarEntryHeader { Name = "snapshot/x"u8.ToArray() }, 0), 0, b =>
        {
            b.AsSpan(108, 8).Clear();
            b[108] = 0x80;
            b[115] = 0x10;
            b[114] = 0x27; // uid 0x2710 = 10000
            b.AsSpan(136, 12).Fill(0xff); // mtime -1
        });
        var hb = ReadAll(b256)[0].Header;
        Assert.That((hb.Uid, hb.MTime, hb.ToMetadata().MTime), Is.EqualTo((10000L, -1L, 0L)));
    }

    [Category("Interop")]
    [Test]
    public void ReadsWhatPythonTarfileWritesInGnuAndPaxForms()
    {
        const string script = """
            import io, sys, tarfile
            out = []
            for fmt, extra in ((tarfile.GNU_FORMAT, {}), (tarfile.PAX_FORMAT, {"uname": "globaluser"})):
                buf = io.BytesIO()
                with tarfile.open(fileobj=buf, mode="w", format=fmt, pax_headers=extra) as tf:
                    ti = tarfile.TarInfo("snapshot/" + "d" * 150)
                    ti.size = 5; ti.uid = 3000000; ti.mtime = 1600000000; ti.mode = 0o640; ti.uname = "user"
                    tf.addfile(ti, io.BytesIO(b"hello"))
                    ti = tarfile.TarInfo("snapshot/l")
                    ti.type = tarfile.SYMTYPE; ti.linkname = "t" * 120 + "\u00e9"; ti.mtime = 1600000000.9
                    tf.addfile(ti)
                    ti = tarfile.TarInfo("snapshot/" + b"bad\xff".decode("utf-8", "surrogateescape"))
                    tf.addfile(ti)
                out.append(buf.getvalue().hex())
            print("\n".join(out))
            """;
        string[] tars = ArchiveFixture.RunPython(script, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (hex, gnu) in new[] { (tars[0], true), (tars[1], false) })
        {
            var entries = ReadAll(Convert.FromHexString(hex));
            Assert.That(entries, Has.Count.EqualTo(3));
            var (f, data) = entries[0];
            Assert.That((Encoding.UTF8.GetString(f.Name), f.Uid, f.Mode, f.MTime, Encoding.UTF8.GetString(data)),
                Is.EqualTo(("snapshot/" + new string('d', 150), 3000000L, 0x1a0, 1600000000L, "hello")));
            Assert.That(f.UserName, Is.EqualTo(gnu ? "user" : "globaluser"), "a pax global header applies to every later entry");
            var l = entries[1].Header;
            Assert.That((l.TypeFlag, Encoding.UTF8.GetString(l.LinkName), l.MTime), Is.EqualTo((TarTypeFlag.Symlink, new string('t', 120) + "\u00e9", 1600000000L)));
            Assert.That(entries[2].Header.Name, Is.EqualTo((byte[])[.. "snapshot/bad"u8, 0xff]), "hdrcharset=BINARY keeps raw bytes");
        }
    }

    private static byte[] Entry(TarEntryHeader header, int dataLength)
    {
        using var ms = new MemoryStream();
        TarHeaderWriter.Write(header, ms);
        ms.Write(new byte[dataLength]);
        TarHeaderWriter.WritePadding(ms, dataLength);
        return ms.ToArray();
    }

    private static byte[] PaxThenEntry(string records, TarEntryHeader header)
    {
        byte[] body = Encoding.UTF8.GetBytes(records);
        using var ms = new MemoryStream();
        TarHeaderWriter.Write(new TarEntryHeader { Name = "././@PaxHeader"u8.ToArray(), TypeFlag = TarTypeFlag.PaxExtended, Size = body.Length }, ms);
        ms.Write(body);
        TarHeaderWriter.WritePadding(ms, body.Length);
        ms.Write(Entry(header, 0));
        return ms.ToArray();
    }

    /// <summary>Edits the header block at <paramref name="offset"/> and fixes its checksum.</summary>
    private static byte[] Rewrite(byte[] tar, int offset, Action<byte[]> edit)
    {
        byte[] copy = (byte[])tar.Clone();
        byte[] block = copy.AsSpan(offset, 512).ToArray();
        edit(block);
        block.AsSpan(148, 8).Fill((byte)' ');
        int sum = block.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0").CopyTo(block, 148);
        block.CopyTo(copy, offset);
        return copy;
    }
}
