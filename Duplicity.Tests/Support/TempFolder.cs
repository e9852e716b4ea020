namespace Duplicity.Tests.Support;

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dup-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // For a failing test's post-mortem: its folders (logs, archives, trees) stay where they are.
        if (Environment.GetEnvironmentVariable("DUPLICITY_KEEP_TEMP") == "1") return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception)
        {
            // .NET cannot name entries whose names are not UTF-8 (the tests make many): remove by bytes.
            try { Duplicity.IO.PrivateTreeRemover.Remove(System.Text.Encoding.UTF8.GetBytes(Path)); } catch (Exception) { /* best effort */ }
        }
    }
}
