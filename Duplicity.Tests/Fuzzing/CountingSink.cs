namespace Duplicity.Tests.Fuzzing;

/// <summary>A write-only stream that keeps nothing, counts bytes and checks the budget as output grows.</summary>
internal sealed class CountingSink(FuzzBudget budget) : Duplicity.IO.WriteOnlyStream
{
    public long Written { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Written += buffer.Length;
        budget.Check();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }
}
