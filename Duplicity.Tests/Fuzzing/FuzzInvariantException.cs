namespace Duplicity.Tests.Fuzzing;

/// <summary>A target accepted an input but broke a property that must hold (e.g. a round trip).</summary>
internal sealed class FuzzInvariantException(string message) : Exception(message);
