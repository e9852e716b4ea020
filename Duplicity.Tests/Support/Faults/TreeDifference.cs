namespace Duplicity.Tests.Support.Faults;

/// <summary>The few lines two <see cref="TreeSnapshot"/>s disagree on, to say what a restore lost.</summary>
public static class TreeDifference
{
    /// <summary>Null when the trees are identical; otherwise the first differing lines of each side.</summary>
    public static string? Between(string expectedRoot, string actualRoot)
    {
        var expected = TreeSnapshot.Describe(expectedRoot);
        var actual = Directory.Exists(actualRoot) ? TreeSnapshot.Describe(actualRoot) : [];
        if (expected.SequenceEqual(actual))
            return null;
        var missing = expected.Except(actual).Take(5);
        var extra = actual.Except(expected).Take(5);
        return $"\n  expected but not restored:\n    {string.Join("\n    ", missing)}\n  restored but not expected:\n    {string.Join("\n    ", extra)}";
    }
}
