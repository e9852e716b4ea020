using System.Security.Cryptography;
using System.Text;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Naming;
using Duplicity.Files;

namespace Duplicity.Tests.Archive;

[Category("Unit")]
public class ManifestTests
{
    private static Manifest Parse(string text, bool readFilelist = true) => ManifestParser.Parse(Encoding.UTF8.GetBytes(text), readFilelist);

    private static IEnumerable<string> FixtureManifests() => ArchiveFixture.RemoteNames().Where(n => n.EndsWith(".manifest"));

    [Test]
    public void FixtureManifestsRoundTripByteExactly()
    {
        Assert.That(FixtureManifests().Count(), Is.EqualTo(3));
        foreach (string name in FixtureManifests())
        {
            byte[] original = File.ReadAllBytes(Path.Combine(ArchiveFixture.Remote, name));
            Manifest m = ManifestParser.Parse(original);
            Assert.That(ManifestWriter.ToBytes(m), Is.EqualTo(original), name);
            Assert.That(m.FilelistCountMismatch, Is.False);

            // Piece by piece, as a running backup writes it.
            using var ms = new MemoryStream();
            var writer = new ManifestWriter(ms);
            writer.WriteHeader(m.Hostname, m.LocalDir);
            foreach (var v in m.Volumes.Values) writer.WriteVolume(v);
            writer.WriteFilelist(m.Filelist!);
            Assert.That(ms.ToArray(), Is.EqualTo(original), name);
        }
    }

    [Test]
    public void FixtureFullManifestContents()
    {
        Manifest m = ManifestParser.Parse(File.ReadAllBytes(Path.Combine(ArchiveFixture.Remote, "duplicity-full.20200913T122820Z.manifest")));
        Assert.That(m.Hostname, Is.EqualTo("fixture-host"));
        Assert.That(m.LocalDir, Is.EqualTo("src"u8.ToArray()));
        Assert.That(m.Volumes.Keys, Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        var v1 = m.Volumes[1];
        Assert.That((v1.StartPath.IsRoot, v1.StartBlock, v1.EndPath.ToString(), v1.EndBlock), Is.EqualTo((true, (int?)null, "big.bin", (int?)1)));
        Assert.That((v1.HashType, v1.HashHex), Is.EqualTo(("SHA1", "b84c81b35194b482e19e347b1f61ed70ff4487c9")));
        Assert.That((m.Volumes[5].StartBlock, m.Volumes[5].EndBlock), Is.EqualTo(((int?)null, (int?)null)));
        Assert.That(m.Volumes[6].EndPath.Bytes.ToArray(), Is.EqualTo("\u00fcn\u00efc\u00f8d\u00e9.txt"u8.ToArray()));
        Assert.That(m.Filelist!.Select(f => f.ChangeType).Distinct(), Is.EqualTo(new[] { "new" }));
        Assert.That(m.Filelist![3].Path, Is.EqualTo("file with space.txt"u8.ToArray()));

        Manifest inc = ManifestParser.Parse(File.ReadAllBytes(Path.Combine(ArchiveFixture.Remote, "duplicity-inc.20200913T122820Z.to.20200913T132820Z.manifest")));
        Assert.That(inc.Filelist!.Select(f => $"{f.ChangeType} {Encoding.UTF8.GetString(f.Path)}"),
            Is.EqualTo(new[] { "changed a.txt", "changed big.bin", "deleted gone.txt", "new sub/added.txt" }));
    }

    [Test]
    public void FixtureHashesAreTheVolumeFilesSha1()
    {
        foreach (string name in FixtureManifests())
        {
            var set = RemoteFileName.TryParse(name, FileNamingOptions.Default)!;
            Manifest m = ManifestParser.Parse(File.ReadAllBytes(Path.Combine(ArchiveFixture.Remote, name)));
            foreach (var v in m.Volumes.Values)
            {
                var volumeName = set with { Kind = set.Kind == RemoteFileKind.FullManifest ? RemoteFileKind.FullVolume : RemoteFileKind.IncrementalVolume, VolumeNumber = v.Number, IsCompressed = true };
                byte[] data = File.ReadAllBytes(Path.Combine(ArchiveFixture.Remote, volumeName.Format(FileNamingOptions.Default)));
#pragma warning disable CA5350 // The manifest format mandates SHA-1 volume hashes; the test computes them (no secret).
                Assert.That(v.HashHex, Is.EqualTo(Convert.ToHexStringLower(SHA1.HashData(data))), volumeName.Format(FileNamingOptions.Default));
#pragma warning restore CA5350
            }
        }
    }

    [Test]
    public void Quoting()
    {
        Assert.That(Encoding.ASCII.GetString(PathQuoting.Quote("file with space.txt"u8)), Is.EqualTo("\"file\\x20with\\x20space.txt\""));
        Assert.That(Encoding.ASCII.GetString(PathQuoting.Quote("a\tb\nc\rd\fe\vf\\g\"h'i"u8)),
            Is.EqualTo("\"a\\x09b\\x0ac\\x0dd\\x0ce\\x0bf\\x5cg\\x22h\\x27i\""));
        Assert.That(PathQuoting.Quote("\u00fc\u0001x"u8), Is.EqualTo("\u00fc\u0001x"u8.ToArray()), "other bytes stay raw");
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.That(PathQuoting.Unquote(PathQuoting.Quote(all)), Is.EqualTo(all));
        Assert.That(PathQuoting.Unquote("plain"u8), Is.EqualTo("plain"u8.ToArray()));
        Assert.That(PathQuoting.Unquote("\"\""u8), Is.Empty);
        Assert.That(PathQuoting.Unquote("\"\\x41\\x4A\""u8), Is.EqualTo("AJ"u8.ToArray()));
        Assert.Throws<ArchiveCorruptException>(() => PathQuoting.Unquote("\"abc"u8));
        Assert.Throws<ArchiveCorruptException>(() => PathQuoting.Unquote("\"\\y41\""u8));
        Assert.Throws<ArchiveCorruptException>(() => PathQuoting.Unquote("\"\\x4\""u8));
        Assert.Throws<ArchiveCorruptException>(() => PathQuoting.Unquote("\"\\xzz\""u8));
    }

    [Test]
    public void ParsesFilelistBeforeVolumesShape()
    {
        const string text = "Hostname h\nLocaldir \"/a\\x20b\"\nFilelist 2\n    new      x\n    changed  \"y\\x20z\"\n" +
            "Volume 1:\n    StartingPath   .  \n    EndingPath     x  \n    Hash SHA1 aa\n" +
            "Volume 2:\n    StartingPath   y 3\n    EndingPath     \"y\\x20z\" 4\n    Hash SHA1 bb\n";
        Manifest m = Parse(text);
        Assert.That(m.LocalDir, Is.EqualTo("/a b"u8.ToArray()));
        Assert.That(m.Filelist!.Select(f => (f.ChangeType, Encoding.UTF8.GetString(f.Path))), Is.EqualTo(new[] { ("new", "x"), ("changed", "y z") }));
        Assert.That(m.Volumes.Keys, Is.EqualTo(new[] { 1, 2 }));
        Assert.That((m.Volumes[2].StartPath.ToString(), m.Volumes[2].StartBlock, m.Volumes[2].EndPath.ToString(), m.Volumes[2].EndBlock),
            Is.EqualTo(("y", (int?)3, "y z", (int?)4)));
        Assert.That(m.Volumes[1].HashHex, Is.EqualTo("aa"));
    }

    [Test]
    public void ReplicateShapeHasOnlyVolumes()
    {
        const string text = "Volume 1:\n    StartingPath   .  \n    EndingPath     a 1\n    Hash SHA1 aa\n";
        Manifest m = Parse(text);
        Assert.That((m.Hostname, m.LocalDir, m.Filelist), Is.EqualTo(((string?)null, (byte[]?)null, (List<ManifestFileChange>?)null)));
        Assert.That(Encoding.UTF8.GetString(ManifestWriter.ToBytes(m)), Is.EqualTo(text));
    }

    [Test]
    public void CaseInsensitiveAndBestHash()
    {
        Manifest m = Parse("HOSTNAME box\nvolume 1:\n  startingpath a\n  ENDINGPATH b 2\n  hash MD5 m1\n  Hash other o1\n" +
                           "VOLUME 2:\n StartingPath c\n EndingPath d\n Hash MD5 m2\n Hash SHA1 s2\nVolume 3:\n StartingPath e\n EndingPath f\n Hash X x3\n");
        Assert.That(m.Hostname, Is.EqualTo("box"));
        Assert.That((m.Volumes[1].HashType, m.Volumes[1].HashHex), Is.EqualTo(("MD5", "m1")));
        Assert.That((m.Volumes[2].HashType, m.Volumes[2].HashHex), Is.EqualTo(("SHA1", "s2")));
        Assert.That((m.Volumes[3].HashType, m.Volumes[3].HashHex), Is.EqualTo(("X", "x3")));
        Assert.That(new ManifestVolume { Number = 9, StartPath = IndexPath.Root, EndPath = IndexPath.Root }.HashType, Is.Null);
    }

    [Test]
    public void LaterDuplicatesReplaceAndStaleHigherVolumesAreDropped()
    {
        string V(int n, string hash) => $"Volume {n}:\n    StartingPath   .  \n    EndingPath     .  \n    Hash SHA1 {hash}\n";
        Manifest m = Parse(V(1, "a") + V(2, "b") + V(3, "c") + V(2, "d"));
        Assert.That(m.Volumes.Keys, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(m.Volumes[2].HashHex, Is.EqualTo("d"));
        Assert.Throws<ArchiveCorruptException>(() => Parse(V(1, "a") + V(5, "b") + V(2, "d")), "duplicity fails deleting a missing volume 3");
    }

    [TestCase("Volume x:\n    StartingPath   .  \n    EndingPath     .  \n")]
    [TestCase("Volume 1:\n    StartingPath   .  \n")]
    [TestCase("Volume 1:\n    EndingPath   .  \n")]
    [TestCase("Volume 1:\n    StartingPath   . abc\n    EndingPath     .  \n")]
    [TestCase("Volume 1:\n    StartingPath\n    EndingPath     .  \n")]
    [TestCase("Volume 1:\n    StartingPath   \"a\\x2\"\n    EndingPath     .  \n")]
    [TestCase("Volume 1:\n    StartingPath   .\n   \n    EndingPath     .  \n")]
    [TestCase("Volume 1:\n    StartingPath   .\n    EndingPath     .\n    Hash SHA1\n")]
    [TestCase("Volume 99999999999:\n    StartingPath   .\n    EndingPath     .\n")]
    public void MalformedManifestsAreCorrupt(string text) => Assert.Throws<ArchiveCorruptException>(() => Parse(text));

    [Test]
    public void FilelistIsReadOnlyWhenAsked()
    {
        // A blank Filelist line breaks duplicity only when it reads the Filelist (here it precedes the volumes;
        // after the last volume it would break that volume's block too).
        const string text = "Filelist 3\n    new a\n    \n    new b\nVolume 1:\n    StartingPath   .\n    EndingPath     .\n";
        Assert.Throws<ArchiveCorruptException>(() => Parse(text));
        Assert.That(Parse(text, readFilelist: false).Filelist, Is.Null);
        Manifest mismatch = Parse("Filelist 3\n    new a\n");
        Assert.That((mismatch.Filelist!.Count, mismatch.FilelistCountMismatch), Is.EqualTo((1, true)));
    }

    [Test]
    public void VolumeMayContainUsesTuplePrefixComparison()
    {
        Manifest m = ManifestParser.Parse(File.ReadAllBytes(Path.Combine(ArchiveFixture.Remote, "duplicity-full.20200913T122820Z.manifest")));
        int[] Containing(string prefix) => m.Volumes.Values.Where(v => v.MayContain(IndexPath.Parse(prefix))).Select(v => v.Number).ToArray();
        Assert.That(Containing("."), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(Containing("big.bin"), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
        Assert.That(Containing("a.txt"), Is.EqualTo(new[] { 1 }));
        Assert.That(Containing("sub"), Is.EqualTo(new[] { 6 }));
        Assert.That(Containing("sub/nested.txt"), Is.EqualTo(new[] { 6 }));
        Assert.That(Containing("zzz"), Is.EqualTo(new[] { 6 }), "zzz sorts before the UTF-8 name that ends volume 6");
        Assert.That(Containing("\u00ff"), Is.Empty);

        // start[:len(prefix)]: a volume starting at a/b/c may hold things under a/b, and a/b sorts before a-b.
        var v = new ManifestVolume { Number = 1, StartPath = IndexPath.Parse("a/b/c"), EndPath = IndexPath.Parse("a-b") };
        Assert.That(Manifest.VolumeMayContain(v, IndexPath.Parse("a/b")), Is.True);
        Assert.That(Manifest.VolumeMayContain(v, IndexPath.Parse("a")), Is.True);
        Assert.That(Manifest.VolumeMayContain(v, IndexPath.Parse("a/a")), Is.False);
        Assert.That(Manifest.VolumeMayContain(v, IndexPath.Parse("a/z")), Is.True);
        Assert.That(Manifest.VolumeMayContain(v, IndexPath.Parse("a-c")), Is.False);
    }
}
