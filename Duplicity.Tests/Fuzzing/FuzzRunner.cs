using System.Diagnostics;

namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// Runs one target over its seeds (first as they are, then mutated) on a worker thread, checking per
/// input that only the contract's typed errors escape and that time and allocation stay in budget.
/// Input <c>i</c> of seed <c>s</c> depends only on (s, i) and the seed files, so any finding can be
/// made again from its target, seed and iteration.
/// </summary>
internal sealed class FuzzRunner
{
    private readonly FuzzTarget _target;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly FuzzSettings _settings;
    private readonly Mutator _mutator;
    private readonly object _gate = new();
    private long _currentIteration = -1;
    private long _currentStart;
    private byte[] _currentInput = [];
    private volatile bool _abandoned;

    public FuzzRunner(FuzzTarget target, FuzzSettings settings)
        : this(target, settings, LoadSeeds(target.Name))
    {
    }

    public FuzzRunner(FuzzTarget target, FuzzSettings settings, IReadOnlyList<byte[]> seeds)
    {
        _target = target;
        _settings = settings;
        _seeds = seeds;
        if (_seeds.Count == 0) throw new InvalidOperationException($"No seeds for fuzz target {target.Name}.");
        _mutator = new Mutator(target, _seeds);
    }

    public static string SeedDirectory(string target) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fuzz", target);

    public static IReadOnlyList<byte[]> LoadSeeds(string target) =>
        Directory.GetFiles(SeedDirectory(target)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

    /// <summary>The input of iteration <paramref name="iteration"/> under <paramref name="seed"/>: a seed file as is, then mutants.</summary>
    public byte[] InputFor(int seed, long iteration) =>
        iteration < _seeds.Count ? _seeds[(int)iteration] : _mutator.Next(new Random(Mix(seed, iteration)));

    /// <summary>Runs <paramref name="iterations"/> inputs (the seeds count among them).</summary>
    public FuzzReport Run(int seed, long iterations)
    {
        var report = new FuzzReport(_target.Name, seed);
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() => Work(report, seed, iterations)) { IsBackground = true, Name = "fuzz " + _target.Name };
        worker.Start();
        while (!worker.Join(100))
        {
            long started = Interlocked.Read(ref _currentStart);
            if (started == 0 || Stopwatch.GetElapsedTime(started) <= _settings.HangTime) continue;
            lock (_gate)
            {
                _abandoned = true;
                Add(report, new FuzzFinding(_target.Name, seed, _currentIteration, "hang",
                    $"no return after {_settings.HangTime.TotalSeconds:F0} s (worker thread abandoned)", _currentInput) { Signature = "hang" });
            }
            break;
        }
        lock (_gate)
        {
            report.Elapsed = clock.Elapsed;
            return report;
        }
    }

    private void Work(FuzzReport report, int seed, long iterations)
    {
        WarmUp();
        for (long i = 0; i < iterations && !_abandoned; i++)
        {
            byte[] input = InputFor(seed, i);
            _currentInput = input;
            _currentIteration = i;
            Interlocked.Exchange(ref _currentStart, Stopwatch.GetTimestamp());
            FuzzFinding? finding = RunOne(seed, i, input, out bool rejected, out TimeSpan elapsed, out long allocated);
            Interlocked.Exchange(ref _currentStart, 0);
            lock (_gate)
            {
                if (_abandoned) return;
                report.Executions++;
                if (rejected) report.Rejected++;
                if (elapsed > report.SlowestInput) report.SlowestInput = elapsed;
                if (allocated > report.MostAllocated) report.MostAllocated = allocated;
                if (finding is not null)
                {
                    Add(report, finding);
                    if (_settings.StopAtFirstFinding) return;
                }
            }
        }
    }

    /// <summary>One unmeasured run, so JIT and one-time setup (keyrings, regexes) do not count against the first input.</summary>
    private void WarmUp()
    {
        try
        {
            _target.Execute(_seeds[0], new FuzzBudget(long.MaxValue, TimeSpan.MaxValue));
        }
        catch (Exception)
        {
            // whatever it does is judged when the same seed runs as iteration 0
        }
    }

    private FuzzFinding? RunOne(int seed, long iteration, byte[] input, out bool rejected, out TimeSpan elapsed, out long allocated)
    {
        var budget = new FuzzBudget(_settings.MaxAllocatedBytes, _settings.MaxInputTime);
        Exception? error = null;
        try
        {
            _target.Execute(input, budget);
        }
        catch (Exception e)
        {
            error = e;
        }
        elapsed = budget.Elapsed;
        allocated = budget.Allocated;
        rejected = error is not null && _target.IsExpected(error);
        string? kind = error switch
        {
            null => null,
            _ when rejected => null,
            FuzzBudgetExceededException => "over budget",
            FuzzInvariantException => "invariant broken",
            _ => "unexpected " + error.GetType().Name,
        };
        if (kind is null && allocated > _settings.MaxAllocatedBytes) kind = "over budget";
        if (kind is null && elapsed > _settings.MaxInputTime) kind = "over budget";
        if (kind is null) return null;
        string detail = error is null
            ? $"allocated {allocated:N0} bytes in {elapsed.TotalMilliseconds:F0} ms"
            : $"{error.GetType().FullName}: {error.Message} (contract: {_target.Contract})\n{error.StackTrace}";
        return new FuzzFinding(_target.Name, seed, iteration, kind, detail, input) { Signature = SignatureOf(kind, error) };
    }

    private static string SignatureOf(string kind, Exception? error)
    {
        if (error is null) return kind;
        var frame = new StackTrace(error).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("Duplicity", StringComparison.Ordinal) == true);
        var method = frame?.GetMethod();
        return $"{kind} {error.GetType().Name} at {method?.DeclaringType?.Name}.{method?.Name}";
    }

    private void Add(FuzzReport report, FuzzFinding finding)
    {
        if (report.Findings.Any(f => f.Signature == finding.Signature))
        {
            report.DuplicateCounts[finding.Signature] = report.DuplicateCounts.GetValueOrDefault(finding.Signature) + 1;
            return;
        }
        if (_settings.FindingsDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            finding.SavedAs = Path.Combine(dir, $"{finding.Target}-s{finding.Seed}-i{finding.Iteration}.bin");
            File.WriteAllBytes(finding.SavedAs, finding.Input);
        }
        report.Findings.Add(finding);
    }

    /// <summary>SplitMix64 of (seed, iteration): a fixed, well-spread seed for each input's generator.</summary>
    private static int Mix(int seed, long iteration)
    {
        ulong z = unchecked(((ulong)(uint)seed << 40) ^ (ulong)iteration) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
