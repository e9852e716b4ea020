namespace Duplicity.Samples.Output;

/// <summary>
/// duplicity's words for the SDK's typed errors, built from their properties; any other error
/// prints its own message.
/// </summary>
internal static class ErrorWording
{
    public static string Text(DuplicityException error) => error switch
    {
        SelectionPatternException { Code: DuplicityErrorCode.GlobbingError } e =>
            "Fatal Error while processing expression\nConsecutive '/'s found in globbing string " + e.Pattern,
        SelectionPatternException { Code: DuplicityErrorCode.FilePrefixError } e =>
            "Fatal Error: The file specification\n    " + e.Pattern + "\ncannot match any files in the base directory\n    " + e.BaseDirectory +
            "\nUseful file specifications begin with the base directory or some\npattern (such as '**') which matches the base directory.",
        _ => error.Message,
    };
}
