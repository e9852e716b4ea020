using Duplicity.Backends;
using Duplicity.Backends.Par2;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Par2;

/// <summary>The backend contract through the par2 wrapper (the real par2) over the file backend.</summary>
[Category("Interop")]
[TestFixture]
public class Par2ConformanceTests : BackendConformanceTests
{
    private string _folder = "";

    protected override Task<IBackend> CreateBackendAsync()
    {
        ExternalTool.Require("par2");
        _folder = Path.Combine(Path.GetTempPath(), "dup-par2-backend-" + Guid.NewGuid().ToString("N"), "target");
        return Task.FromResult(new BackendRegistry().AddFileSystem().AddPar2().Open("par2+file://" + _folder));
    }

    protected override Task CleanupAsync()
    {
        var parent = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(parent))
        {
            Assert.That(Directory.GetFiles(_folder, "*.tmp"), Is.Empty, "leftover temporary upload files");
            // Every file has its recovery files, but those par2 0.8.1 refuses (duplicity stores them without
            // any too): empty files and one-character names, on which it aborts. No recovery file outlives its file.
            foreach (var file in Directory.GetFiles(_folder).Where(f => !f.EndsWith(".par2", StringComparison.Ordinal)))
            {
                if (new FileInfo(file).Length > 0 && Path.GetFileName(file).Length > 1)
                    Assert.That(File.Exists(file + ".par2"), Is.True, "index of " + file);
            }
            foreach (var index in Directory.GetFiles(_folder, "*.par2").Where(f => !f.Contains(".vol", StringComparison.Ordinal)))
                Assert.That(File.Exists(index[..^".par2".Length]), Is.True, "recovery files without their file: " + index);
            Directory.Delete(parent, recursive: true);
        }
        return Task.CompletedTask;
    }
}
