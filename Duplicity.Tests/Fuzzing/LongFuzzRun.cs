namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// The long run, by hand only: <c>DUPLICITY_FUZZ_ITERATIONS</c> inputs in all (default 1,000,000, shared
/// evenly between the targets), seed <c>DUPLICITY_FUZZ_SEED</c> (default 2), targets
/// <c>DUPLICITY_FUZZ_TARGETS</c> (comma-separated, default all). It keeps going after a finding, keeps
/// one input per cause in <c>DUPLICITY_FUZZ_FINDINGS</c> and prints executions per second.
/// </summary>
[Category("Fault")]
public class LongFuzzRun
{
    [Test]
    [Explicit("Runs for a long time; start it by hand (see the class summary).")]
    public void Long_run_over_every_target()
    {
        long total = long.Parse(Environment.GetEnvironmentVariable("DUPLICITY_FUZZ_ITERATIONS") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        int seed = int.Parse(Environment.GetEnvironmentVariable("DUPLICITY_FUZZ_SEED") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
        string[] names = Environment.GetEnvironmentVariable("DUPLICITY_FUZZ_TARGETS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [.. FuzzTargets.All.Keys];
        string findings = Environment.GetEnvironmentVariable("DUPLICITY_FUZZ_FINDINGS")
            ?? Path.Combine(TestContext.CurrentContext.WorkDirectory, "fuzz-findings");
        var settings = new FuzzSettings { StopAtFirstFinding = false, FindingsDirectory = findings };
        var reports = new List<FuzzReport>();
        foreach (string name in names)
        {
            var report = new FuzzRunner(FuzzTargets.All[name](), settings).Run(seed, total / names.Length);
            TestContext.Progress.WriteLine(report.Summary);
            foreach (var f in report.Findings)
                TestContext.Progress.WriteLine($"  {f.Signature} (+{report.DuplicateCounts.GetValueOrDefault(f.Signature)} more): {f}");
            reports.Add(report);
        }
        long executions = reports.Sum(r => r.Executions);
        double seconds = reports.Sum(r => r.Elapsed.TotalSeconds);
        TestContext.Progress.WriteLine($"total: {executions:N0} executions in {seconds:F0} s ({executions / seconds:N0}/s), findings in {findings}");
        Assert.That(reports.SelectMany(r => r.Findings), Is.Empty, () => string.Join("\n\n", reports.SelectMany(r => r.Findings)));
    }
}
