using Duplicity.Files;

namespace Duplicity.Tests.Files;

[Category("Unit")]
public class IndexPathTests
{
    [Test]
    public void OrderIsComponentWiseNotStringWise()
    {
        var ab = IndexPath.Parse("a/b");
        var adash = IndexPath.Parse("a-b");
        Assert.That(ab.CompareTo(adash), Is.LessThan(0));
        Assert.That(IndexPath.Root.CompareTo(IndexPath.Parse("a")), Is.LessThan(0));
        Assert.That(IndexPath.Parse("a").CompareTo(IndexPath.Parse("a/b")), Is.LessThan(0));
        Assert.That(IndexPath.Parse("\u00e9").CompareTo(IndexPath.Parse("z")), Is.GreaterThan(0), "bytes compare unsigned");
    }

    [Test]
    public void ParsesRootForms()
    {
        Assert.That(IndexPath.Parse(".").IsRoot, Is.True);
        Assert.That(IndexPath.Parse("/").IsRoot, Is.True);
        Assert.That(IndexPath.Parse("").IsRoot, Is.True);
        Assert.That(IndexPath.Parse("/sub/x/").ToString(), Is.EqualTo("sub/x"));
        Assert.Throws<ArgumentException>(() => IndexPath.Parse("a//b"));
    }

    [Test]
    public void PrefixesAreComponentWise()
    {
        var p = IndexPath.Parse("sub/file");
        Assert.That(p.StartsWith(IndexPath.Parse("sub")), Is.True);
        Assert.That(p.StartsWith(IndexPath.Parse("su")), Is.False);
        Assert.That(p.RemovePrefix(IndexPath.Parse("sub")).ToString(), Is.EqualTo("file"));
        Assert.That(p.RemovePrefix(p).IsRoot, Is.True);
        Assert.That(p.Parent.ToString(), Is.EqualTo("sub"));
        Assert.That(p.Depth, Is.EqualTo(2));
    }
}
