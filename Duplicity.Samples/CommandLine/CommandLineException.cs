namespace Duplicity.Samples.CommandLine;

/// <summary>A command line duplicity would reject; exits with code 2 like duplicity.</summary>
internal sealed class CommandLineException(string message, bool optionParserStyle = false) : Exception(message)
{
    /// <summary>True for errors found while reading options (printed as optparse prints them).</summary>
    public bool OptionParserStyle { get; } = optionParserStyle;
}
