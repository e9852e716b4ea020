namespace Duplicity.Tests.Support;

/// <summary>The checkout the tests were built from.</summary>
public static class RepositoryFolder
{
    /// <summary>The folder holding Duplicity.sln, above the test binaries.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Duplicity.sln"))) return dir.FullName;
        throw new InvalidOperationException("Duplicity.sln not found above the test directory");
    }
}
