namespace Duplicity.Tests.Support;

/// <summary>A clock stopped at one instant, for backups at chosen times.</summary>
public sealed class FixedClock(long unixSeconds) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
