using System.Diagnostics;
using System.Globalization;
using System.Text;
using Duplicity.Files;
using Duplicity.IO;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Console;

/// <summary>
/// The console as a child process under umask 000 and 022: while backup, incremental, restore and verify
/// of a passphrase-encrypted chain run, and after, nothing the tool creates (temp folder and files,
/// archive dir, lock file, patch and download buffers, restore's temporary names) is open to group or
/// others, except restored objects with their archived modes. Temp folders are removed at the end, also
/// after a failed run; a leftover of a dead process is swept by the next run, one of a live process kept.
/// </summary>
[TestFixture]
[Category("Fault")]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PrivateFilesUnderUmaskTests
{
    private const int GroupOtherBits = 0x3F; // 0077

    private static readonly Dictionary<string, int> SourceModes = new()
    {
        ["big.bin"] = 0x1A4,     // 0644
        ["private.txt"] = 0x180, // 0600
        ["group.txt"] = 0x1A0,   // 0640
        ["sub"] = 0x1E8,         // 0750
        ["sub/x.txt"] = 0x1B4,   // 0664
    };

    [TestCase("000")]
    [TestCase("022")]
    public async Task NothingCreatedIsOpenToOthersAndTempDataIsRemoved(string umask)
    {
        ExternalTool.Require("bash");
        using var tmp = new TempFolder();
        var src = tmp.Sub("src");
        var tempDir = tmp.Sub("tmpdir");
        var cacheHome = tmp.Sub("xdg-cache"); // does not exist: the console creates the default archive dir
        var target = tmp.Sub("restored");
        var url = "file://" + tmp.Sub("remote");
        Directory.CreateDirectory(tempDir);
        MakeSource(src);

        var watcher = new ModeWatcher([tempDir, cacheHome, target]);
        watcher.Start();
        try
        {
            await RunConsoleAsync(umask, tempDir, cacheHome, "s3cret", ["full", "--volsize", "1", src, url]);
            ModifySource(src);
            await RunConsoleAsync(umask, tempDir, cacheHome, "s3cret", ["incremental", "--volsize", "1", src, url]);
            await RunConsoleAsync(umask, tempDir, cacheHome, "s3cret", ["restore", url, target]);

            // Leftovers of a killed run (dead pid) and of a running one (this test process) before the next run.
            using var exited = Process.Start(new ProcessStartInfo("true"))!;
            await exited.WaitForExitAsync();
            var dead = Path.Combine(tempDir, $"{PrivateTempDirectory.NamePrefix}{exited.Id}-4242-Xy12Zq");
            var live = Path.Combine(tempDir, $"{PrivateTempDirectory.NamePrefix}{Environment.ProcessId}-{ProcessStartMarker.Current}-Ab34Cd");
            Directory.CreateDirectory(dead, PrivateFile.DirectoryMode);
            File.WriteAllText(Path.Combine(dead, "patch-left.tmp"), "plaintext");
            Directory.CreateDirectory(live, PrivateFile.DirectoryMode);
            watcher.Ignore(dead, live);

            await RunConsoleAsync(umask, tempDir, cacheHome, "s3cret", ["verify", url, src]);
            Assert.That(Directory.Exists(dead), Is.False, "a dead process's temp folder is swept");
            Assert.That(Directory.Exists(live), Is.True, "a live process's temp folder is kept");
            Directory.Delete(live);

            // A failing run (wrong passphrase) removes its temp folder too.
            var failed = await RunConsoleAsync(umask, tempDir, cacheHome, "wrong", ["restore", url, tmp.Sub("never")], expectSuccess: false);
            Assert.That(failed.ExitCode, Is.Not.Zero);
        }
        finally
        {
            watcher.Stop();
        }

        // Seen while running: the checks had something to look at.
        Assert.That(watcher.Seen.Keys.Any(p => IsUnder(p, tempDir) && Path.GetFileName(p).StartsWith(PrivateTempDirectory.NamePrefix, StringComparison.Ordinal)), Is.True, "a temp folder was observed");
        Assert.That(watcher.Seen.Keys.Any(p => Path.GetFileName(Path.GetDirectoryName(p)!).StartsWith(PrivateTempDirectory.NamePrefix, StringComparison.Ordinal)), Is.True, "a temp file was observed");
        Assert.That(watcher.Seen.Keys.Any(p => Path.GetFileName(p) == "lockfile"), Is.True, "the lock file was observed");

        // What kinds of temporary data were caught in flight (volume, restore download, patch, spill ...).
        TestContext.Out.WriteLine("observed: " + string.Join(", ", watcher.Seen.Keys
            .Select(p => Path.GetFileName(p).Split('-', '.')[0]).Distinct().Order()));
        var problems = new List<string>();
        var allowedInTarget = SourceModes.Values.Append(0x1ED).ToHashSet(); // root: the source folder's 0755
        foreach (var (path, modes) in watcher.Seen)
        {
            foreach (int mode in modes)
            {
                int perms = mode & 0xFFF;
                if ((perms & GroupOtherBits) == 0 || path == tempDir) continue; // the test made TMPDIR itself
                // Restored objects carry their archived modes (a file gets its mode just before its rename).
                if (IsUnder(path, target) && allowedInTarget.Contains(perms)) continue;
                problems.Add($"{path}: {Convert.ToString(perms, 8)}");
            }
        }
        Assert.That(problems, Is.Empty);

        Assert.That(Directory.EnumerateFileSystemEntries(tempDir), Is.Empty, "every temp folder removed");
        foreach (var entry in Directory.EnumerateFileSystemEntries(cacheHome, "*", SearchOption.AllDirectories).Append(cacheHome))
            Assert.That(Mode(entry) & GroupOtherBits, Is.Zero, $"{entry} {Convert.ToString(Mode(entry), 8)}");
        Assert.That(Mode(Path.Combine(cacheHome, "duplicity")), Is.EqualTo(0x1C0), "archive dir 0700");
        foreach (var (name, mode) in SourceModes)
            Assert.That(Mode(Path.Combine(target, name)), Is.EqualTo(mode), name);
        Assert.That(File.ReadAllBytes(Path.Combine(target, "big.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(src, "big.bin"))));
    }

    private static int Mode(string path) => Posix.Lstat(Encoding.UTF8.GetBytes(path)).Mode & 0xFFF;

    private static bool IsUnder(string path, string folder) => path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

    private static void MakeSource(string src)
    {
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        var data = new byte[3 << 20];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(Path.Combine(src, "big.bin"), data);
        File.WriteAllText(Path.Combine(src, "private.txt"), "private");
        File.WriteAllText(Path.Combine(src, "group.txt"), "group");
        File.WriteAllText(Path.Combine(src, "sub", "x.txt"), "x");
        foreach (var (name, mode) in SourceModes)
            File.SetUnixFileMode(Path.Combine(src, name), (UnixFileMode)mode);
        File.SetUnixFileMode(src, (UnixFileMode)0x1ED);
    }

    // A change in the middle and a longer tail: the incremental stores a delta, whose restore patches through temp files.
    private static void ModifySource(string src)
    {
        var path = Path.Combine(src, "big.bin");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = 1 << 20;
            file.Write(new byte[70_000]);
            file.Position = file.Length;
            file.Write("tail"u8);
        }
        // Changes are told by mtime seconds (as duplicity does): one made in the full's second must show.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
    }

    private static async Task<ExternalTool.Result> RunConsoleAsync(string umask, string tempDir, string cacheHome, string passphrase, string[] args, bool expectSuccess = true)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "duplicity-net.dll");
        var result = await ExternalTool.RunAsync("bash", ["-c", $"umask {umask}; exec dotnet \"$@\"", "bash", dll, .. args],
            new Dictionary<string, string?>
            {
                ["TMPDIR"] = tempDir,
                ["XDG_CACHE_HOME"] = cacheHome,
                ["PASSPHRASE"] = passphrase,
                ["SIGN_PASSPHRASE"] = null,
            }, timeout: TimeSpan.FromMinutes(3));
        if (expectSuccess) result.EnsureSuccess();
        return result;
    }

    /// <summary>Polls folders on its own thread, recording every mode each path was seen with.</summary>
    private sealed class ModeWatcher(string[] roots)
    {
        private readonly Dictionary<string, HashSet<int>> _seen = new();
        private readonly HashSet<string> _ignored = new();
        private volatile bool _stop;
        private Thread? _thread;

        public IReadOnlyDictionary<string, HashSet<int>> Seen
        {
            get { lock (_seen) return _seen.ToDictionary(kv => kv.Key, kv => kv.Value); }
        }

        /// <summary>Folders the test itself made (and everything below them).</summary>
        public void Ignore(params string[] folders)
        {
            lock (_seen)
            {
                foreach (var f in folders) _ignored.Add(f);
                foreach (var key in _seen.Keys.Where(k => folders.Any(f => IsUnder(k, f))).ToList()) _seen.Remove(key);
            }
        }

        public void Start()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    Scan();
                    Thread.Sleep(1); // leave the cores to the runs being watched
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public void Stop()
        {
            _stop = true;
            _thread?.Join();
            Scan();
        }

        private void Scan()
        {
            foreach (var root in roots) Visit(root);
        }

        private void Visit(string path)
        {
            if (!Posix.TryLstat(Encoding.UTF8.GetBytes(path), out var st)) return;
            lock (_seen)
            {
                if (_ignored.Any(f => IsUnder(path, f))) return;
                if (!_seen.TryGetValue(path, out var modes)) _seen[path] = modes = [];
                modes.Add(st.Mode);
            }
            if (!st.IsDirectory) return;
            List<byte[]> names;
            try
            {
                names = Posix.ReadDirectory(Encoding.UTF8.GetBytes(path));
            }
            catch (IOException)
            {
                return; // removed meanwhile, or a 0700 folder of another user
            }
            foreach (var name in names) Visit(Path.Combine(path, Encoding.UTF8.GetString(name)));
        }
    }
}
