namespace Duplicity.Tests.Fuzzing;

/// <summary>One input that broke a target's contract, with what it takes to reproduce it.</summary>
internal sealed record FuzzFinding(string Target, int Seed, long Iteration, string Kind, string Detail, byte[] Input)
{
    /// <summary>Groups findings with the same cause: kind, exception type and the first frame of the stack.</summary>
    public required string Signature { get; init; }

    /// <summary>Where the input was written, if it was.</summary>
    public string? SavedAs { get; set; }

    public override string ToString()
    {
        const int maxHex = 4096;
        string hex = Convert.ToHexString(Input.AsSpan(0, Math.Min(Input.Length, maxHex)));
        string more = Input.Length > maxHex ? $" ... ({Input.Length} bytes in all)" : "";
        return $"target {Target}, seed {Seed}, iteration {Iteration}: {Kind}: {Detail}\n" +
               (SavedAs is null ? "" : $"input saved as {SavedAs}\n") + $"input ({Input.Length} bytes): {hex}{more}";
    }
}
