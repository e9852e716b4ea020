using System.Text;
using System.Text.Json;
using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Tests.Archive;

[Category("Unit")]
public class TarHeaderWriterTests
{
    [Test]
    public void ReencodesEveryFixtureHeaderByteExactly()
    {
        int checkedHeaders = 0;
        foreach (var tar in ArchiveFixture.ExpectedTars())
        {
            byte[] plain = ArchiveFixture.Plaintext(tar.File);
            using var reader = new TarReader(new MemoryStream(plain));
            while (reader.Next() is { } h)
            {
                int length = TarHeaderWriter.GetLength(h);
                var buffer = new byte[length];
                Assert.That(TarHeaderWriter.Write(h, buffer), Is.EqualTo(length));
                Assert.That(buffer, Is.EqualTo(plain.AsSpan((int)h.HeaderOffset, length).ToArray()), $"{tar.File}: {h.Describe()}");
                checkedHeaders++;
            }
            if (tar.File.Contains("sigtar"))
            {
                // Signature archives close like Python's tarfile.
                long end = reader.EntriesEnd!.Value;
                Assert.That(end + TarHeaderWriter.GetEndOfArchiveLength(end), Is.EqualTo(plain.Length));
                using var ms = new MemoryStream();
                TarHeaderWriter.WriteEndOfArchive(ms, end);
                Assert.That(ms.ToArray(), Is.EqualTo(plain[(int)end..]));
            }
        }
        Assert.That(checkedHeaders, Is.EqualTo(53));
    }

    [Test]
    public void NonAsciiFixtureNameUsesPax()
    {
        byte[] plain = ArchiveFixture.Plaintext("duplicity-full.20200913T122820Z.vol6.difftar.gz");
        using var reader = new TarReader(new MemoryStream(plain));
        TarEntryHeader? h;
        while ((h = reader.Next()) is not null && !h.Describe().Contains('\u00fc')) { }
        Assert.That(h, Is.Not.Null);
        Assert.That(TarHeaderWriter.GetLength(h!), Is.EqualTo(1536));
        Assert.That(plain[(int)h!.HeaderOffset + 156], Is.EqualTo((byte)'x'));
    }

    [Test]
    public void PaddingAndFooters()
    {
        Assert.That(TarHeaderWriter.GetPaddingLength(0), Is.EqualTo(0));
        Assert.That(TarHeaderWriter.GetPaddingLength(1), Is.EqualTo(511));
        Assert.That(TarHeaderWriter.GetPaddingLength(512), Is.EqualTo(0));
        Assert.That(TarHeaderWriter.GetEndOfArchiveLength(0), Is.EqualTo(10240));
        Assert.That(TarHeaderWriter.GetEndOfArchiveLength(9216), Is.EqualTo(1024));
        Assert.That(TarHeaderWriter.GetEndOfArchiveLength(9728), Is.EqualTo(10752));
        Assert.That(TarHeaderWriter.GetVolumeFooterLength(10240), Is.EqualTo(10240));
        Assert.That(TarHeaderWriter.GetVolumeFooterLength(9728), Is.EqualTo(512));
    }

    [Test]
    public void FromMetadataMapsTypesAndDeletedEntries()
    {
        var dev = TarEntryHeader.FromMetadata("snapshot/dev"u8.ToArray(),
            new FileMetadata { Type = FileEntryType.BlockDevice, Mode = 0x81b0, DeviceMajor = 8, DeviceMinor = 1, MTime = -5, Size = 99 }, 99);
        Assert.That((dev.TypeFlag, dev.Mode, dev.DevMajor, dev.DevMinor, dev.MTime, dev.Size), Is.EqualTo((TarTypeFlag.BlockDevice, 0x1b0, 8, 1, 0L, 0L)));
        var deleted = TarEntryHeader.FromMetadata("deleted/x"u8.ToArray(), null, 0);
        Assert.That((deleted.TypeFlag, deleted.Mode, deleted.Uid, deleted.MTime, deleted.UserName), Is.EqualTo((TarTypeFlag.Regular, 0, 0L, 0L, "")));
        foreach (FileEntryType t in Enum.GetValues<FileEntryType>())
        {
            var m = new FileMetadata { Type = t, Mode = 0x1ed, Uid = 5, Gid = 6, UserName = "u", GroupName = "g", MTime = 77, LinkTarget = t == FileEntryType.Symlink ? "tgt"u8.ToArray() : null, DeviceMajor = 3, DeviceMinor = 4 };
            var back = TarEntryHeader.FromMetadata("snapshot/x"u8.ToArray(), m, 10).ToMetadata();
            Assert.That(back.Type, Is.EqualTo(t));
            Assert.That((back.Mode, back.Uid, back.Gid, back.UserName, back.GroupName, back.MTime), Is.EqualTo((0x1ed, 5L, 6L, "u", "g", 77L)));
            Assert.That(back.Size, Is.EqualTo(t == FileEntryType.Regular ? 10 : 0));
        }
        Assert.Throws<ArchiveCorruptException>(() => new TarEntryHeader { TypeFlag = TarTypeFlag.HardLink }.ToMetadata());
        Assert.Throws<ArchiveCorruptException>(() => new TarEntryHeader { TypeFlag = (byte)'Z' }.ToMetadata());
    }

    private sealed record Case(string name, string type, int mode, long uid, long gid, string uname, string gname, long mtime, long size, string link, int devmajor, int devminor);

    private static Case C(byte[] name, char type = '0', string uname = "root", string gname = "root", long uid = 0, long gid = 0,
        long mtime = 1600000000, long size = 0, byte[]? link = null, int mode = 0x1a4, int major = 0, int minor = 0) =>
        new(Convert.ToHexString(name), type.ToString(), mode, uid, gid, uname, gname, mtime, size, Convert.ToHexString(link ?? []), major, minor);

    [Category("Interop")]
    [Test]
    public void MatchesPythonTarfilePaxOutput()
    {
        byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        var cases = new List<Case>
        {
            C(U("snapshot/a.txt"), size: 16),
            C(U("snapshot/\u00fcn\u00efc\u00f8d\u00e9.txt"), size: 15),
            C(U("snapshot/" + new string('a', 91))),
            C(U("snapshot/" + new string('a', 92))),
            C(U("multivol_snapshot/" + new string('b', 150) + "/3"), size: 65536),
            C(U("snapshot/" + string.Concat(Enumerable.Repeat("\u00e9", 120)))),
            C([.. "snapshot/bad"u8, 0xff, 0xfe, .. "\u00e9"u8]),
            C([.. "snapshot/"u8, 0xe2, 0x82, .. "x"u8, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xf4, 0x90, 0x80, 0x80]),
            C([.. "snapshot/"u8, .. Enumerable.Repeat((byte)0xff, 120)]),
            C(U("snapshot/link"), type: '2', mode: 0x1ff, link: U(new string('t', 101))),
            C(U("snapshot/link"), type: '2', mode: 0x1ff, link: U(new string('t', 100))),
            C(U("snapshot/link"), type: '2', mode: 0x1ff, link: U("\u00fcber")),
            C(U("snapshot/link"), type: '2', mode: 0x1ff, link: [0x61, 0xff]),
            C(U("snapshot/dir"), type: '5', mode: 0x1ed),
            C(U("snapshot/dir/"), type: '5', mode: 0xfed),
            C(U("snapshot/dev"), type: '3', major: 136, minor: 2097151),
            C(U("snapshot/blk"), type: '4', major: 8, minor: 1),
            C(U("snapshot/fifo"), type: '6'),
            C(U("snapshot/ids"), uid: 2097152, gid: 2097151, uname: new string('u', 33), gname: "gr\u00fcppe"),
            C(U("snapshot/ids"), uid: 4294967294, gid: 4294967294, uname: "", gname: ""),
            C(U("snapshot/names"), uname: new string('u', 32), gname: new string('g', 33)),
            C(U("snapshot/times"), mtime: 8589934592L),
            C(U("snapshot/times"), mtime: -1),
            C(U("snapshot/big"), size: 8589934592L),
            C(U("deleted/x"), uname: "", gname: "", mtime: 0, mode: 0),
            C([.. "snapshot/"u8, 0xff], link: [0xfe], type: '2', uname: "\u00e9", mtime: 8589934593L, uid: 1L << 40),
        };
        string input = string.Join("\n", cases.Select(c => JsonSerializer.Serialize(c)));
        const string script = """
            import sys, json, tarfile
            for line in sys.stdin.read().split("\n"):
                if not line:
                    continue
                c = json.loads(line)
                ti = tarfile.TarInfo()
                ti.name = bytes.fromhex(c["name"]).decode("utf-8", "surrogateescape")
                ti.type = c["type"].encode()
                ti.mode = c["mode"]; ti.uid = c["uid"]; ti.gid = c["gid"]
                ti.uname = c["uname"]; ti.gname = c["gname"]
                ti.mtime = c["mtime"]; ti.size = c["size"]
                ti.linkname = bytes.fromhex(c["link"]).decode("utf-8", "surrogateescape")
                ti.devmajor = c["devmajor"]; ti.devminor = c["devminor"]
                print(ti.tobuf(tarfile.PAX_FORMAT, "utf-8", "replace").hex())
            """;
        string[] expected = ArchiveFixture.RunPython(script, input).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(expected, Has.Length.EqualTo(cases.Count));
        for (int i = 0; i < cases.Count; i++)
        {
            Case c = cases[i];
            var h = new TarEntryHeader
            {
                Name = Convert.FromHexString(c.name), TypeFlag = (byte)c.type[0], Mode = c.mode, Uid = c.uid, Gid = c.gid,
                UserName = c.uname, GroupName = c.gname, MTime = c.mtime, Size = c.size, LinkName = Convert.FromHexString(c.link),
                DevMajor = c.devmajor, DevMinor = c.devminor,
            };
            var buffer = new byte[TarHeaderWriter.GetLength(h)];
            TarHeaderWriter.Write(h, buffer);
            Assert.That(Convert.ToHexStringLower(buffer), Is.EqualTo(expected[i]), $"case {i}: {c}");

            // What we write, we read back unchanged.
            using var reader = new TarReader(new MemoryStream([.. buffer, .. new byte[c.size < 1 << 20 ? c.size : 0]]));
            var back = reader.Next()!;
            byte[] expectName = h.TypeFlag == TarTypeFlag.Directory && h.Name[^1] != '/' ? [.. h.Name, (byte)'/'] : h.Name;
            Assert.That((back.Name, back.LinkName, back.Uid, back.Gid, back.MTime, back.UserName, back.GroupName),
                Is.EqualTo((expectName, h.LinkName, h.Uid, h.Gid, h.MTime, h.UserName, h.GroupName)), $"case {i} read back");
        }
    }

    [Test]
    public void DestinationTooSmallIsAnArgumentError()
    {
        var h = new TarEntryHeader { Name = "snapshot/a"u8.ToArray() };
        Assert.Throws<ArgumentException>(() => TarHeaderWriter.Write(h, new byte[511]));
    }
}
