using System.Text;
using Duplicity.Crypto;

namespace Duplicity.Samples;

/// <summary>
/// Passphrases as duplicity gets them: <c>PASSPHRASE</c> / <c>SIGN_PASSPHRASE</c> from the environment
/// (each standing in for the other when the signing key is also an encryption key), else a prompt on
/// the terminal without echo (asked twice for a new symmetric backup).
/// </summary>
internal sealed class ConsolePassphraseSource(bool confirm, bool signKeyIsRecipient) : IPassphraseSource
{
    private string? _cached;
    private string? _cachedSigning;

    public ValueTask<string> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken)
    {
        bool signing = request.Purpose == PassphrasePurpose.SigningKey;
        var env = Environment.GetEnvironmentVariable(signing ? "SIGN_PASSPHRASE" : "PASSPHRASE");
        if (env == null && signKeyIsRecipient)
            env = Environment.GetEnvironmentVariable(signing ? "PASSPHRASE" : "SIGN_PASSPHRASE");
        if (env != null) return ValueTask.FromResult(env);
        if ((signing ? _cachedSigning : _cached) is { } cached) return ValueTask.FromResult(cached);

        if (Console.IsInputRedirected)
            throw new DuplicityException(DuplicityErrorCode.Unexpected,
                "PASSPHRASE variable not set and no terminal to ask on (EOFError).");
        string label = signing ? "signing key" : "decryption";
        while (true)
        {
            var first = Prompt($"GnuPG passphrase for {label}: ");
            if (confirm && !signing && Prompt($"Retype passphrase for {label} to confirm: ") != first)
            {
#pragma warning disable CA1849 // An interactive terminal prompt: synchronous like the key reads of Prompt() it answers.
                Console.Error.WriteLine("First and second passphrases do not match!  Please try again.");
#pragma warning restore CA1849
                continue;
            }
            if (first.Length == 0 && confirm && !signing)
            {
#pragma warning disable CA1849 // An interactive terminal prompt: synchronous like the key reads of Prompt() it answers.
                Console.Error.WriteLine("Cannot use empty passphrase with symmetric encryption!  Please try again.");
#pragma warning restore CA1849
                continue;
            }
            if (signing) _cachedSigning = first; else _cached = first;
            return ValueTask.FromResult(first);
        }
    }

    private static string Prompt(string text)
    {
        Console.Error.Write(text);
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (sb.Length > 0) sb.Length--; continue; }
            sb.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return sb.ToString();
    }

    public override string ToString() => "ConsolePassphraseSource";
}
