namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// The CI fuzzing pass: for each parser of untrusted input, its seeds as they are and then a fixed
/// set of mutants (seed 1), each held to the parser's contract, a time budget and a 64 MiB
/// allocation cap. A failure names the target, seed and iteration and shows the input in hex.
/// </summary>
[Category("Fault")]
public class FuzzTests
{
    public const int CiSeed = 1;

    public static IEnumerable<string> TargetNames => FuzzTargets.All.Keys;

    [TestCaseSource(nameof(TargetNames))]
    public void Mutants_raise_only_the_typed_errors_of_the_contract(string targetName)
    {
        FuzzTarget target = FuzzTargets.All[targetName]();
        var runner = new FuzzRunner(target, new FuzzSettings
        {
            FindingsDirectory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "fuzz-findings"),
        });
        int iterations = FuzzTargets.CiIterations[targetName];
        FuzzReport report = runner.Run(CiSeed, iterations);
        TestContext.Out.WriteLine(report.Summary);
        Assert.That(report.Findings, Is.Empty, () => string.Join("\n\n", report.Findings));
        Assert.That(report.Executions, Is.EqualTo(iterations));
        // A pass where (nearly) everything is rejected, or nothing is, would not be exploring the parser.
        if (target.Contract.StartsWith("none", StringComparison.Ordinal)) return;
        Assert.That(report.Rejected, Is.InRange(1, iterations - 1), "every or no input was rejected");
    }
}
