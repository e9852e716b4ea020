using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
[TestFixture]
public class FileBackendConformanceTests : BackendConformanceTests
{
    private string _folder = "";

    protected override Task<IBackend> CreateBackendAsync()
    {
        // A folder that does not exist yet: the backend must create it.
        _folder = Path.Combine(Path.GetTempPath(), "dup-file-backend-" + Guid.NewGuid().ToString("N"), "target");
        return Task.FromResult<IBackend>(new FileBackend(_folder));
    }

    protected override Task CleanupAsync()
    {
        var parent = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(parent))
        {
            // No temporary upload file may survive any test.
            Assert.That(Directory.GetFiles(_folder, "*.tmp"), Is.Empty, "leftover temporary upload files");
            Directory.Delete(parent, recursive: true);
        }
        return Task.CompletedTask;
    }
}
