namespace Duplicity.Tests.Support.Faults;

/// <summary>What the fault proxy does to one connection.</summary>
public enum ProxyFaultKind
{
    /// <summary>Forwards everything untouched.</summary>
    None,
    /// <summary>Aborts both sides with a TCP RST once the byte offset is reached.</summary>
    Reset,
    /// <summary>Stops forwarding for a while at the byte offset (long enough, past the client's timeout).</summary>
    Stall,
    /// <summary>Forwards up to the byte offset, then closes both sides cleanly (a short body or reply).</summary>
    Truncate,
    /// <summary>Flips one bit of the byte at the offset and goes on.</summary>
    BitFlip,
}

/// <summary>
/// The plan of one connection: a fault of <paramref name="Kind"/> at byte <paramref name="Offset"/> of the
/// direction <paramref name="Upstream"/> (client to server) or not, stalling for <paramref name="Stall"/>.
/// </summary>
public sealed record ProxyFault(ProxyFaultKind Kind, bool Upstream, long Offset, TimeSpan Stall, int Bit)
{
    public static readonly ProxyFault None = new(ProxyFaultKind.None, false, 0, TimeSpan.Zero, 0);

    /// <summary>
    /// A random plan: a fault with probability <paramref name="faultRate"/>, at an offset up to
    /// <paramref name="maxOffset"/> (many exchanges are small, so a third of the offsets fall in the first 4 KiB).
    /// </summary>
    public static ProxyFault Random(Random random, double faultRate, long maxOffset, IReadOnlyList<ProxyFaultKind> kinds, TimeSpan longStall)
    {
        if (random.NextDouble() >= faultRate)
            return None;
        var kind = kinds[random.Next(kinds.Count)];
        bool upstream = random.Next(2) == 0;
        long offset = random.Next(3) == 0 ? random.NextInt64(4096) : random.NextInt64(maxOffset);
        // Stalls: half short (the transfer just slows down), half past the client's timeout.
        var stall = random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(50, 400)) : longStall;
        return new ProxyFault(kind, upstream, offset, stall, random.Next(8));
    }

    public override string ToString() =>
        Kind == ProxyFaultKind.None ? "none" : $"{Kind} {(Upstream ? "up" : "down")} @{Offset}{(Kind == ProxyFaultKind.Stall ? $" {Stall.TotalMilliseconds}ms" : "")}";
}
