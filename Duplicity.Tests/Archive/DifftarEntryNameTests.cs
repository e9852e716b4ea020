using System.Text;
using Duplicity.Archive.Tar;
using Duplicity.Files;

namespace Duplicity.Tests.Archive;

[Category("Unit")]
public class DifftarEntryNameTests
{
    private static DifftarEntryName P(string s) => DifftarEntryName.Parse(Encoding.UTF8.GetBytes(s));

    [Test]
    public void ParsesKindsIndicesAndChunks()
    {
        Assert.That(P("snapshot/sub/nested.txt"), Is.EqualTo(new DifftarEntryName(DifftarEntryKind.Snapshot, IndexPath.Parse("sub/nested.txt"))));
        Assert.That(P("snapshot/sub/"), Is.EqualTo(new DifftarEntryName(DifftarEntryKind.Snapshot, IndexPath.Parse("sub"))));
        Assert.That(P("diff/a.txt").Kind, Is.EqualTo(DifftarEntryKind.Diff));
        Assert.That(P("deleted/gone.txt").Kind, Is.EqualTo(DifftarEntryKind.Deleted));
        Assert.That(P("signature/big.bin").Kind, Is.EqualTo(DifftarEntryKind.Signature));
        Assert.That(P("multivol_snapshot/big.bin/3"), Is.EqualTo(new DifftarEntryName(DifftarEntryKind.MultivolSnapshot, IndexPath.Parse("big.bin"), 3)));
        Assert.That(P("multivol_diff/d/big.bin/12"), Is.EqualTo(new DifftarEntryName(DifftarEntryKind.MultivolDiff, IndexPath.Parse("d/big.bin"), 12)));
        foreach (string root in new[] { "snapshot/./", "snapshot/.", "snapshot/" })
            Assert.That(P(root), Is.EqualTo(new DifftarEntryName(DifftarEntryKind.Snapshot, IndexPath.Root)), root);
        Assert.That(DifftarEntryName.Parse([.. "snapshot/"u8, 0xff, 0xfe]).Index.Bytes.ToArray(), Is.EqualTo(new byte[] { 0xff, 0xfe }));
    }

    [TestCase("snapshot/../etc/passwd")]
    [TestCase("snapshot/a/../../b")]
    [TestCase("snapshot/a/..")]
    [TestCase("diff/..")]
    [TestCase("snapshot//etc/passwd")]
    [TestCase("snapshot/a//b")]
    [TestCase("snapshot/a/./b")]
    [TestCase("deleted/a/b//")]
    [TestCase("snapshot/a\0b")]
    [TestCase("multivol_snapshot/../x/1")]
    [TestCase("multivol_snapshot/x/")]
    [TestCase("multivol_snapshot/x/a1")]
    [TestCase("multivol_snapshot/x")]
    [TestCase("multivol_diff/x/99999999999")]
    [TestCase("/snapshot/x")]
    [TestCase("snapshots/x")]
    [TestCase("other")]
    [TestCase("")]
    public void RejectsHostileAndUnknownNames(string name) => Assert.Throws<ArchiveCorruptException>(() => P(name));

    [Test]
    public void FormatsAsDuplicityWrites()
    {
        string F(DifftarEntryName n, bool dir, bool sig = false) => Encoding.UTF8.GetString(n.Format(dir, sig));
        var root = new DifftarEntryName(DifftarEntryKind.Snapshot, IndexPath.Root);
        Assert.That(F(root, true), Is.EqualTo("snapshot/./"));
        Assert.That(F(root, true, sig: true), Is.EqualTo("snapshot/"));
        Assert.That(F(new(DifftarEntryKind.Snapshot, IndexPath.Parse("sub")), true), Is.EqualTo("snapshot/sub/"));
        Assert.That(F(new(DifftarEntryKind.Snapshot, IndexPath.Parse("sub")), true, sig: true), Is.EqualTo("snapshot/sub/"));
        Assert.That(F(new(DifftarEntryKind.MultivolSnapshot, IndexPath.Parse("big.bin"), 3), false), Is.EqualTo("multivol_snapshot/big.bin/3"));
        Assert.That(F(new(DifftarEntryKind.MultivolDiff, IndexPath.Parse("big.bin"), 1), false), Is.EqualTo("multivol_diff/big.bin/1"));
        Assert.That(F(new(DifftarEntryKind.Deleted, IndexPath.Parse("sub/nested.txt")), false), Is.EqualTo("deleted/sub/nested.txt"));
        Assert.That(F(new(DifftarEntryKind.Signature, IndexPath.Parse("a.txt")), false, sig: true), Is.EqualTo("signature/a.txt"));
    }

    [Test]
    public void EveryFixtureEntryNameRoundTrips()
    {
        int count = 0;
        foreach (var tar in ArchiveFixture.ExpectedTars())
        {
            bool sig = tar.File.Contains("sigtar");
            foreach (var e in tar.Entries)
            {
                byte[] raw = Encoding.UTF8.GetBytes(e.Name);
                DifftarEntryName parsed = DifftarEntryName.Parse(raw);
                Assert.That(parsed.Format(e.Type == "dir", sig), Is.EqualTo(raw), e.Name);
                count++;
            }
        }
        Assert.That(count, Is.EqualTo(53));
    }
}
