namespace Duplicity.Tests.Fuzzing;

/// <summary>What one run over one target did: executions, time, worst input and the findings (one per cause).</summary>
internal sealed class FuzzReport(string target, int seed)
{
    public string Target { get; } = target;
    public int Seed { get; } = seed;
    public long Executions { get; set; }
    public long Rejected { get; set; }
    public TimeSpan Elapsed { get; set; }
    public TimeSpan SlowestInput { get; set; }
    public long MostAllocated { get; set; }
    public List<FuzzFinding> Findings { get; } = [];

    /// <summary>Findings with the same signature as one already kept, counted but not stored.</summary>
    public Dictionary<string, int> DuplicateCounts { get; } = [];

    public double ExecutionsPerSecond => Elapsed.TotalSeconds > 0 ? Executions / Elapsed.TotalSeconds : 0;

    public string Summary =>
        $"{Target}: {Executions:N0} executions in {Elapsed.TotalSeconds:F1} s ({ExecutionsPerSecond:N0}/s), " +
        $"{Rejected:N0} rejected with a typed error, slowest input {SlowestInput.TotalMilliseconds:F1} ms, " +
        $"most allocated {MostAllocated / 1024.0 / 1024.0:F1} MiB, {Findings.Count} finding(s)";
}
