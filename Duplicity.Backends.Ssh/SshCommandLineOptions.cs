using System.Globalization;

namespace Duplicity.Backends.Ssh;

/// <summary>
/// The few ssh command-line options the backend honours, read out of duplicity's <c>--ssh-options</c>
/// text: identity files, port and user known-hosts file.
/// </summary>
internal sealed class SshCommandLineOptions
{
    public List<string> IdentityFiles { get; } = [];

    public int? Port { get; private set; }

    public string? UserKnownHostsFile { get; private set; }

    /// <summary>Parses option texts such as <c>-oIdentityFile=/k -o Port=2222 -i "/my key"</c>.</summary>
    public static SshCommandLineOptions Parse(IEnumerable<string> texts)
    {
        var result = new SshCommandLineOptions();
        foreach (var text in texts)
        {
            var words = SplitWords(text);
            for (var i = 0; i < words.Count; i++)
            {
                var word = words[i];
                string? setting = null;
                if (word == "-o" || word == "-i")
                {
                    if (i + 1 >= words.Count)
                        break;
                    setting = word == "-i" ? "IdentityFile=" + words[++i] : words[++i];
                }
                else if (word.StartsWith("-o", StringComparison.Ordinal))
                    setting = word[2..];
                else if (word.StartsWith("-i", StringComparison.Ordinal))
                    setting = "IdentityFile=" + word[2..];
                if (setting is not null)
                    result.Apply(setting);
            }
        }
        return result;
    }

    private void Apply(string setting)
    {
        // ssh accepts both "Name=Value" and "Name Value".
        var separator = setting.IndexOfAny(['=', ' ']);
        if (separator <= 0)
            return;
        var name = setting[..separator].Trim();
        var value = setting[(separator + 1)..].Trim();
        if (value.Length == 0)
            return;
        if (name.Equals("IdentityFile", StringComparison.OrdinalIgnoreCase))
            IdentityFiles.Add(value);
        else if (name.Equals("UserKnownHostsFile", StringComparison.OrdinalIgnoreCase))
            UserKnownHostsFile = value;
        else if (name.Equals("Port", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw new DuplicityException(DuplicityErrorCode.UserError, $"Bad port in --ssh-options: '{value}'.");
            Port = port;
        }
    }

    /// <summary>Splits on whitespace, honouring single and double quotes and backslash escapes, as a shell would.</summary>
    internal static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length)
                    current.Append(text[++i]);
                else
                    current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord)
            words.Add(current.ToString());
        return words;
    }
}
