namespace Duplicity.Tests.Fuzzing;

/// <summary>One input used more time or memory than the harness allows: a finding, never part of a contract.</summary>
internal sealed class FuzzBudgetExceededException(string message) : Exception(message);
