namespace Duplicity.Tests.Fuzzing;

/// <summary>The harness itself: it must catch crashes, hangs and runaway allocation, and make each finding reproducible.</summary>
[Category("Fault")]
public class FuzzRunnerTests
{
    private static readonly byte[][] Seeds = [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12]];

    /// <summary>A parser with a planted bug: behaviour chosen by the first byte of the input.</summary>
    private sealed class PlantedBugTarget(byte trigger, Action bug) : FuzzTarget
    {
        public override string Name => "planted";
        public override string Contract => "ArchiveCorruptException";
        public override bool IsExpected(Exception error) => error is ArchiveCorruptException;

        public override void Execute(byte[] input, FuzzBudget budget)
        {
            if (input.Length > 0 && input[0] == trigger) bug();
            if (input.Length % 2 == 1) throw new ArchiveCorruptException("odd");
        }
    }

    [Test]
    public void A_crash_is_reported_with_target_seed_iteration_and_the_input_that_reproduces_it()
    {
#pragma warning disable CA2201 // The planted bug imitates the runtime's own exception, the kind of crash the runner must report.
        var target = new PlantedBugTarget(0xFF, () => throw new IndexOutOfRangeException("planted"));
#pragma warning restore CA2201
        var runner = new FuzzRunner(target, new FuzzSettings(), Seeds);
        FuzzReport report = runner.Run(seed: 7, iterations: 20_000);
        Assert.That(report.Findings, Has.Count.EqualTo(1));
        FuzzFinding finding = report.Findings[0];
        Assert.That(finding.Kind, Is.EqualTo("unexpected IndexOutOfRangeException"));
        Assert.That(finding.Input[0], Is.EqualTo(0xFF));
        Assert.That(runner.InputFor(7, finding.Iteration), Is.EqualTo(finding.Input), "the same seed and iteration give the same input");
        Assert.That(finding.ToString(), Does.Contain("target planted, seed 7, iteration " + finding.Iteration).And.Contain(Convert.ToHexString(finding.Input)));
        Assert.That(report.Rejected, Is.GreaterThan(0), "odd-length inputs were rejected within the contract");
    }

    [Test]
    public void An_input_that_never_returns_is_reported_as_a_hang()
    {
        var target = new PlantedBugTarget(0xFF, () => Thread.Sleep(Timeout.Infinite));
        var runner = new FuzzRunner(target, new FuzzSettings { HangTime = TimeSpan.FromSeconds(2) }, Seeds);
        FuzzReport report = runner.Run(seed: 7, iterations: 20_000);
        Assert.That(report.Findings.Single().Kind, Is.EqualTo("hang"));
        Assert.That(report.Findings.Single().Input[0], Is.EqualTo(0xFF));
    }

    [Test]
    public void An_input_that_allocates_past_the_cap_is_reported()
    {
        var target = new PlantedBugTarget(0xFF, () => GC.KeepAlive(new byte[8 * 1024 * 1024]));
        var runner = new FuzzRunner(target, new FuzzSettings { MaxAllocatedBytes = 4 * 1024 * 1024 }, Seeds);
        FuzzReport report = runner.Run(seed: 7, iterations: 20_000);
        Assert.That(report.Findings.Single().Kind, Is.EqualTo("over budget"));
    }

    [Test]
    public void A_metered_read_stops_a_parser_that_keeps_reading_past_its_time()
    {
        var budget = new FuzzBudget(long.MaxValue, TimeSpan.FromMilliseconds(50));
        var stream = new MeteredStream(new byte[16], budget);
        Thread.Sleep(100);
        Assert.Throws<FuzzBudgetExceededException>(() => stream.ReadByte());
    }
}
