using System.Text;

namespace Duplicity.Crypto;

/// <summary>
/// What one gpg run said on stderr: its status lines (<c>[GNUPG:] KEYWORD args</c>, from
/// <c>--status-fd 2</c>) and its log lines, read as they come so gpg never blocks on a full pipe.
/// Turns a failed run into the typed error the in-process engine raises for the same cause.
/// </summary>
internal sealed class GnuPGDiagnostics
{
    private const string StatusPrefix = "[GNUPG:] ";
    private const int MaxLogLines = 200;

    private readonly List<string[]> _status = [];
    private readonly List<string> _log = [];

    /// <summary>Reads <paramref name="stderr"/> to its end.</summary>
    public static async Task<GnuPGDiagnostics> ReadAsync(StreamReader stderr)
    {
        var result = new GnuPGDiagnostics();
        while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(StatusPrefix, StringComparison.Ordinal))
                result._status.Add(line[StatusPrefix.Length..].Split(' '));
            else if (result._log.Count < MaxLogLines)
                result._log.Add(line);
        }
        return result;
    }

    private bool Has(string keyword) => _status.Exists(s => s[0] == keyword);

    private IEnumerable<string> Args(string keyword, int index) =>
        _status.Where(s => s[0] == keyword && s.Length > index).Select(s => s[index]);

    /// <summary>
    /// The location of the first ERROR/FAILURE line whose gpg error code (the low 16 bits of the number
    /// that starts the second field; the rest is the error's source) is <paramref name="code"/>.
    /// </summary>
    private string? ErrorLocation(int code)
    {
        foreach (var s in _status)
        {
            if (s[0] is not ("ERROR" or "FAILURE") || s.Length < 3) continue;
            var digits = s[2].AsSpan();
            int end = 0;
            while (end < digits.Length && char.IsAsciiDigit(digits[end])) end++;
            if (long.TryParse(digits[..end], out var value) && (value & 0xFFFF) == code) return s[1];
        }
        return null;
    }

    private const int GpgErrBadPassphrase = 11;

    /// <summary>The key id of the good signature (GOODSIG), or null when the data was not signed by a known key.</summary>
    public string? GoodSignatureKeyId => Args("GOODSIG", 1).FirstOrDefault();

    /// <summary>Fingerprints of the good signature: the signing key's and its primary key's (VALIDSIG).</summary>
    public IEnumerable<string> ValidSignatureFingerprints =>
        _status.Where(s => s[0] == "VALIDSIG").SelectMany(s => s.Length > 10 ? new[] { s[1], s[10] } : [s[1]]);

    /// <summary>The typed error for a run that exited with <paramref name="exitCode"/> (not 0), or that broke a pipe.</summary>
    public DuplicityException ToException(string operation, int exitCode)
    {
        var badPassphrase = ErrorLocation(GpgErrBadPassphrase);
        if (badPassphrase != null || Has("BAD_PASSPHRASE"))
        {
            // Worded as the in-process engine words it, so both engines raise the same error.
            if (badPassphrase != null && badPassphrase.StartsWith("symkey", StringComparison.Ordinal))
                return new WrongPassphraseException("the symmetrically encrypted message");
            var key = Args("BAD_PASSPHRASE", 1).FirstOrDefault()
                ?? (badPassphrase != null && badPassphrase.StartsWith("pkdecrypt", StringComparison.Ordinal) ? Args("ENC_TO", 1).FirstOrDefault(id => !id.All(c => c == '0')) : null);
            return new WrongPassphraseException(key != null ? $"secret key {key}" : "a secret key");
        }
        if (operation == "decrypt" && !Has("DECRYPTION_OKAY"))
        {
            var missing = Args("NO_SECKEY", 1).Select(id => id.All(c => c == '0') ? "a secret key (hidden recipient)" : $"secret key {id}").Distinct().ToList();
            if (missing.Count > 0)
                return new DuplicityException(DuplicityErrorCode.GpgFailed,
                    "GPG error: decryption failed: no usable key (needs " + string.Join(" or ", missing) + ")");
        }
        var invalid = Args("INV_RECP", 2).Concat(Args("INV_SGNR", 2)).Distinct().ToList();
        if (invalid.Count > 0)
            return new DuplicityException(DuplicityErrorCode.GpgFailed,
                $"GPG error: unusable key {string.Join(", ", invalid)} (not in gpg's keyring, expired, revoked or not trusted)");
        return new DuplicityException(DuplicityErrorCode.GpgFailed, LogText($"GPG Failed ({operation}, exit code {exitCode}), see log below:"));
    }

    /// <summary>gpg's own log lines (never status lines, never the data), under <paramref name="heading"/>.</summary>
    public string LogText(string heading)
    {
        var text = new StringBuilder(heading).Append('\n').Append("===== Begin GnuPG log =====\n");
        foreach (var line in _log) text.Append(line).Append('\n');
        return text.Append("===== End GnuPG log =====").ToString();
    }
}
