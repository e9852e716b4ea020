using System.Text;

namespace Duplicity.Samples.CommandLine;

/// <summary>
/// Splits an option value that duplicity pastes into a command line (<c>--par2-options</c>) into words the way
/// that command line is split: blanks separate words, single and double quotes group, a backslash escapes.
/// </summary>
internal static class CommandWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && quote != '\'' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else
                    word.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
            throw new CommandLineException($"option --par2-options: unbalanced quote in '{text}'");
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
