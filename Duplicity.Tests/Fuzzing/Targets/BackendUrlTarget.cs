using System.Text;
using Duplicity.Backends;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="BackendUrl.Parse"/>, its accessors and <see cref="BackendUrl.Redact"/>. Contract:
/// <see cref="DuplicityException"/> with <see cref="DuplicityErrorCode.BadUrl"/> (duplicity's error 8);
/// <see cref="BackendUrl.Redact"/> never throws.
/// </summary>
internal sealed class BackendUrlTarget : FuzzTarget
{
    public override string Name => "backend-url";

    public override string Contract => "DuplicityException with code BadUrl (8)";

    public override bool IsExpected(Exception error) => error is DuplicityException { Code: DuplicityErrorCode.BadUrl };

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        ["://"u8.ToArray(), "@"u8.ToArray(), ":"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "%"u8.ToArray(), "%zz"u8.ToArray(), "%ff"u8.ToArray(),
         "%e2%82"u8.ToArray(), "?"u8.ToArray(), "#"u8.ToArray(), "&"u8.ToArray(), "="u8.ToArray(), "+"u8.ToArray(), "/"u8.ToArray(), " "u8.ToArray()];

    public override byte[] MutateStructure(byte[] input, Random random) => DigitRuns.Replace(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        string text = Encoding.UTF8.GetString(input);
        BackendUrl.Redact(text);
        BackendUrl url = BackendUrl.Parse(text);
        if (url.Port is < 0 or > 65535) throw new FuzzInvariantException($"port {url.Port}");
        if (url.Scheme.Length == 0) throw new FuzzInvariantException("empty scheme accepted");
        url.GetQueryValue("region");
        url.GetQueryValue("");
        string shown = url.ToString();
        if (url.Password is { Length: > 0 } && !text.Contains("***", StringComparison.Ordinal) && shown == text.Trim())
            throw new FuzzInvariantException("a URL with a password is shown unredacted");
    }
}
