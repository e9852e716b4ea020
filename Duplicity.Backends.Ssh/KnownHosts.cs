using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Duplicity.Backends.Ssh;

/// <summary>
/// An OpenSSH known_hosts file: plain, wildcard (<c>*</c>, <c>?</c>), negated (<c>!</c>) and hashed
/// (<c>|1|salt|hash</c>) host patterns, and <c>@revoked</c> keys. <c>@cert-authority</c> lines are skipped
/// (host certificates are not supported).
/// </summary>
internal sealed class KnownHosts
{
    private readonly List<Entry> _entries;

    private KnownHosts(List<Entry> entries)
    {
        _entries = entries;
    }

    /// <summary>The outcome of checking a host key.</summary>
    public enum Verdict
    {
        /// <summary>A line for this host lists exactly this key.</summary>
        Trusted,
        /// <summary>No line names this host.</summary>
        UnknownHost,
        /// <summary>Lines name this host, but with other keys: the key changed (or someone is in the middle).</summary>
        KeyChanged,
        /// <summary>The key is marked <c>@revoked</c>.</summary>
        Revoked,
    }

    /// <summary>Reads a known_hosts file; a missing file is an empty list.</summary>
    public static KnownHosts Load(string path)
    {
        if (!File.Exists(path))
            return new KnownHosts([]);
        return Parse(File.ReadAllLines(path));
    }

    public static KnownHosts Parse(IEnumerable<string> lines)
    {
        var entries = new List<Entry>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var marker = Marker.None;
            var first = 0;
            if (fields[0].StartsWith('@'))
            {
                marker = fields[0] switch
                {
                    "@revoked" => Marker.Revoked,
                    "@cert-authority" => Marker.CertAuthority,
                    _ => Marker.Unknown,
                };
                first = 1;
            }
            if (fields.Length < first + 3 || marker is Marker.CertAuthority or Marker.Unknown)
                continue;
            byte[] key;
            try
            {
                key = Convert.FromBase64String(fields[first + 2]);
            }
            catch (FormatException)
            {
                continue; // OpenSSH skips lines it cannot read, too
            }
            entries.Add(new Entry(marker, fields[first], fields[first + 1], key));
        }
        return new KnownHosts(entries);
    }

    /// <summary>The host name as known_hosts writes it: <c>host</c> on port 22, else <c>[host]:port</c>.</summary>
    public static string HostKeyName(string host, int port) =>
        port == 22 ? host : string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}");

    /// <summary>The key types (e.g. <c>ssh-ed25519</c>) listed for a host, to prefer them during key exchange.</summary>
    public HashSet<string> KeyTypesFor(string host, int port)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        var name = HostKeyName(host, port);
        foreach (var entry in _entries)
        {
            if (entry.Marker == Marker.None && Matches(entry.Patterns, name))
                types.Add(entry.KeyType);
        }
        return types;
    }

    /// <summary>Checks the key blob the server presented (SSH wire format, as in the file's base64 field).</summary>
    public Verdict Check(string host, int port, ReadOnlySpan<byte> keyBlob)
    {
        var name = HostKeyName(host, port);
        var hostListed = false;
        var trusted = false;
        foreach (var entry in _entries)
        {
            var sameKey = keyBlob.SequenceEqual(entry.Key);
            if (entry.Marker == Marker.Revoked)
            {
                // A revoked key is refused whatever host pattern it carries.
                if (sameKey)
                    return Verdict.Revoked;
                continue;
            }
            if (!Matches(entry.Patterns, name))
                continue;
            hostListed = true;
            trusted |= sameKey;
        }
        return trusted ? Verdict.Trusted : hostListed ? Verdict.KeyChanged : Verdict.UnknownHost;
    }

    private static bool Matches(string patterns, string name)
    {
        if (patterns.StartsWith("|1|", StringComparison.Ordinal))
            return MatchesHashed(patterns, name);
        var matched = false;
        foreach (var pattern in patterns.Split(','))
        {
            var negated = pattern.StartsWith('!');
            var body = negated ? pattern[1..] : pattern;
            if (!Wildcard(body, name))
                continue;
            if (negated)
                return false;
            matched = true;
        }
        return matched;
    }

    private static bool MatchesHashed(string field, string name)
    {
        // |1|base64(salt)|base64(HMAC-SHA1(key: salt, data: host name))
        var parts = field.Split('|');
        if (parts.Length != 4)
            return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
#pragma warning disable CA5350 // OpenSSH's hashed known_hosts format is HMAC-SHA1 of the host name; it hides names, it protects no secret.
            var actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));
#pragma warning restore CA5350
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // OpenSSH's match_pattern: '*' any run, '?' one character, case-insensitive for host names.
    private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
                return false;
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    private enum Marker { None, Revoked, CertAuthority, Unknown }

    private sealed record Entry(Marker Marker, string Patterns, string KeyType, byte[] Key);
}
