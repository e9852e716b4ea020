using System.Diagnostics;
using Duplicity.Archive.Tar;
using Duplicity.Tests.Support;
using static Duplicity.Tests.Sessions.Hostile.HostileVolume;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>
/// A local attacker who can write in the target swaps its directories for symlinks to a folder
/// outside (rename the directory away, put a link in its place) over and over while a restore runs.
/// The restore may finish or stop with a typed error, but must never write, chmod, chown or touch
/// anything outside.
/// </summary>
[Category("Fault")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ConcurrentSwapTests
{
    private const int TopDirectories = 12;
    private const int SubDirectories = 4;
    private const int FilesPerDirectory = 25;

    private static (TarEntryHeader, byte[])[] ManyNestedFiles()
    {
        var entries = new List<(TarEntryHeader, byte[])> { Dir("snapshot/./") };
        var content = new string('x', 512);
        for (int d = 0; d < TopDirectories; d++)
        {
            entries.Add(Dir($"snapshot/d{d:00}", 0x1FF));
            for (int s = 0; s < SubDirectories; s++)
            {
                entries.Add(Dir($"snapshot/d{d:00}/s{s}", 0x1FF));
                for (int f = 0; f < FilesPerDirectory; f++)
                    entries.Add(File($"snapshot/d{d:00}/s{s}/f{f:00}", content, 0xFFF)); // 07777: the most an attacker could wish for
            }
        }
        return [.. entries];
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task SwappingDirectoriesForLinksDuringARestoreNeverReachesOutside(bool relativeLinks)
    {
        var backend = Backend(ManyNestedFiles());
        int swaps = 0, successes = 0, failures = 0;
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 4; round++)
        {
            using var tmp = new TempFolder();
            var outside = new OutsideWitness(tmp.Path);
            var target = tmp.Sub("target");
            using var done = new CancellationTokenSource();
            var attacker = Task.Factory.StartNew(() => swaps += Attack(target, outside.Path, relativeLinks, done.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                var (result, error) = await Task.Run(() => HostileRestore.RunAsync(backend, target, tmp.Sub("cache"), cancellationToken: timeout.Token));
                if (error == null) successes++; else failures++;
            }
            finally
            {
                done.Cancel();
                await attacker;
            }
            outside.AssertUnchanged();
        }
        TestContext.Out.WriteLine($"{swaps} swaps, {successes} restores finished, {failures} stopped with a typed error, {clock.ElapsedMilliseconds} ms");
        Assert.That(swaps, Is.GreaterThan(0), "the attacker got to swap directories while restores ran");
    }

    /// <summary>Replaces each restored directory by a link to <paramref name="outside"/> until cancelled; returns the swaps made.</summary>
    private static int Attack(string target, string outside, bool relative, CancellationToken stop)
    {
        int swaps = 0;
        for (int generation = 0; !stop.IsCancellationRequested; generation++)
        {
            for (int d = 0; d < TopDirectories && !stop.IsCancellationRequested; d++)
            {
                var top = Path.Combine(target, $"d{d:00}");
                if (TrySwap(top, relative ? "../outside" : outside, generation)) swaps++;
                for (int s = 0; s < SubDirectories; s++)
                    if (TrySwap(Path.Combine(top, $"s{s}"), relative ? "../../outside" : outside, generation)) swaps++;
            }
        }
        return swaps;
    }

    private static bool TrySwap(string directory, string linkTarget, int generation)
    {
        try
        {
            if (!Directory.Exists(directory) || System.IO.File.GetAttributes(directory).HasFlag(FileAttributes.ReparsePoint)) return false;
            Directory.Move(directory, $"{directory}.moved{generation}");
            System.IO.File.CreateSymbolicLink(directory, linkTarget);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
