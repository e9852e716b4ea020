using Duplicity.Repository;
using System.Diagnostics;
using System.Globalization;
using Duplicity.Backends;
using Duplicity.Samples;
using Duplicity.Sessions;
using Duplicity.Tests.Interop;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Cache;

/// <summary>
/// The archive directory's lock excludes duplicity 0.8.22 both ways (it locks <c>lockfile</c> with
/// lockf, a POSIX record lock) and other runs of ours, before anything touches the backend.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class ArchiveDirLockTests
{
    private const string Message = "Another duplicity instance is already running with this archive directory";

    [Test]
    public async Task WhileDuplicityHoldsTheLockWeRefuseWithItsMessageAndCode()
    {
        var duplicity = ExternalTool.Require("duplicity");
        var setsid = ExternalTool.Require("setsid");
        using var tmp = new TempFolder();
        var source = tmp.Sub("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "f"), "data");
        var url = "file://" + tmp.Sub("remote");
        string[] cache = ["--archive-dir", tmp.Sub("cache"), "--name", "shared"];

        // duplicity takes the lock, then waits for a passphrase on stdin (no terminal: setsid), holding it.
        var start = new ProcessStartInfo(setsid) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[duplicity, "full", .. cache, source, url]) start.ArgumentList.Add(a);
        start.Environment.Remove("PASSPHRASE");
        using var holder = Process.Start(start)!;
        try
        {
            var lockPath = Path.Combine(tmp.Sub("cache"), "shared", "lockfile");
            await WaitUntilRecordLockedAsync(lockPath, holder);
            var remoteBefore = Listing(tmp.Sub("remote"));

            var stderr = new StringWriter();
            int code = await ConsoleApp.RunAsync(["collection-status", .. cache, url], new StringWriter(), stderr);
            Assert.That(code, Is.EqualTo(23), stderr.ToString());
            Assert.That(stderr.ToString(), Does.Contain(Message));

            code = await ConsoleApp.RunAsync(["full", "--no-encryption", .. cache, source, url], new StringWriter(), stderr);
            Assert.That(code, Is.EqualTo(23), stderr.ToString());
            Assert.That(Listing(tmp.Sub("remote")), Is.EqualTo(remoteBefore), "a refused run stores nothing");

            // Through the API: a typed exception, and the backend is never asked anything.
            await using var backend = new CountingBackend(new InMemoryBackend());
            var error = Assert.ThrowsAsync<RepositoryLockedException>(() => Support.Sessions.BackupAsync(backend, new RepositoryOptions
            {
                ArchiveDirectory = tmp.Sub("cache"),
                Name = "shared",
            }, new BackupOptions
            {
                Source = source,
            }));
            Assert.That(error!.LockPath, Is.EqualTo(lockPath));
            Assert.That(error.Code, Is.EqualTo(DuplicityErrorCode.UserError));
            Assert.That(backend.Calls, Is.Zero);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
    }

    [Test]
    public async Task WhileWeHoldTheLockDuplicityRefusesWithItsCode()
    {
        ExternalTool.Require("duplicity");
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Sub("remote"));
        var url = "file://" + tmp.Sub("remote");
        string[] args = ["collection-status", "--name", "shared", url];
        var cache = Duplicity.Cache.ArchiveCache.Open(tmp.Sub("cache"), "shared");

        using (cache.AcquireLock())
        {
            var refused = await DuplicityCli.RunAsync(tmp.Sub("cache"), args);
            Assert.That(refused.ExitCode, Is.EqualTo(23), refused.StandardOutput + refused.StandardError);
            Assert.That(refused.StandardOutput + refused.StandardError, Does.Contain(Message));
            Assert.Throws<RepositoryLockedException>(() => cache.AcquireLock().Dispose(), "a second run of ours is refused too");
        }
        var allowed = await DuplicityCli.RunAsync(tmp.Sub("cache"), args);
        Assert.That(allowed.ExitCode, Is.EqualTo(0), "released, duplicity runs: " + allowed.StandardError);
    }

    /// <summary>Waits until /proc/locks shows a POSIX lock on the file (duplicity took it).</summary>
    private static async Task WaitUntilRecordLockedAsync(string path, Process holder)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.That(holder.HasExited, Is.False, () => "duplicity ended early: " + holder.StandardError.ReadToEnd());
            if (File.Exists(path))
            {
                var inode = (await ExternalTool.RunAsync(ExternalTool.Require("stat"), ["-c", "%i", path])).StandardOutput.Trim();
                if (File.ReadLines("/proc/locks").Any(l => l.Contains(" POSIX ", StringComparison.Ordinal) && l.Contains($":{inode} ", StringComparison.Ordinal)))
                    return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("duplicity did not take its lock within 60 s");
    }

    private static string[] Listing(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];

    private sealed class CountingBackend(IBackend inner) : DelegatingBackend(inner)
    {
        public int Calls;

        public override IAsyncEnumerable<BackendFileInfo> ListAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return base.ListAsync(cancellationToken);
        }

        public override Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return base.PutAsync(name, content, cancellationToken);
        }

        public override Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return base.GetAsync(name, cancellationToken);
        }
    }
}
