using System.Text;
using Duplicity.Backends.Ssh;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="KnownHosts.Parse"/> and its lookups. Contract: no exception at all (OpenSSH skips lines
/// it cannot read); a key listed plainly for a host is trusted unless revoked.
/// </summary>
internal sealed class KnownHostsTarget : FuzzTarget
{
    private static readonly byte[] Key = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");

    private static readonly (string Host, int Port)[] Hosts = [("example.com", 22), ("example.com", 2222), ("192.0.2.7", 22), ("bad.example.org", 22), ("", 0)];

    public override string Name => "known-hosts";

    public override string Contract => "none (unreadable lines are skipped)";

    public override bool IsExpected(Exception error) => false;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        ["|1|"u8.ToArray(), "|"u8.ToArray(), "@revoked "u8.ToArray(), "@cert-authority "u8.ToArray(), "@"u8.ToArray(), "*"u8.ToArray(), "?"u8.ToArray(),
         "!"u8.ToArray(), "["u8.ToArray(), "]:"u8.ToArray(), ","u8.ToArray(), "\n"u8.ToArray(), "\r"u8.ToArray(), "\t"u8.ToArray(), "="u8.ToArray(), "#"u8.ToArray()];

    public override byte[] MutateStructure(byte[] input, Random random) => DigitRuns.Replace(input, random);

    public override void Execute(byte[] input, FuzzBudget budget)
    {
        var lines = new List<string>();
        using (var reader = new StringReader(Encoding.UTF8.GetString(input)))
        {
            while (reader.ReadLine() is { } line) lines.Add(line);
        }
        var hosts = KnownHosts.Parse(lines);
        foreach (var (host, port) in Hosts)
        {
            hosts.KeyTypesFor(host, port);
            hosts.Check(host, port, Key);
            hosts.Check(host, port, input.AsSpan(0, Math.Min(input.Length, 51)));
        }
        var plain = KnownHosts.Parse([.. lines, "example.com ssh-ed25519 " + Convert.ToBase64String(Key)]);
        var verdict = plain.Check("example.com", 22, Key);
        if (verdict is not (KnownHosts.Verdict.Trusted or KnownHosts.Verdict.Revoked))
            throw new FuzzInvariantException($"a key listed for the host gives {verdict}");
    }
}
