namespace Duplicity;

/// <summary>
/// An include/exclude pattern that cannot be used: it cannot match anything under the source's
/// base directory (<see cref="DuplicityErrorCode.FilePrefixError"/>), or a glob has consecutive
/// slashes (<see cref="DuplicityErrorCode.GlobbingError"/>). The pattern and the base directory
/// are properties, so that a host can word the error its own way.
/// </summary>
public sealed class SelectionPatternException : DuplicityException
{
    /// <summary>Creates the error; <paramref name="code"/> is one of the two codes above.</summary>
    /// <param name="code"><see cref="DuplicityErrorCode.FilePrefixError"/> or <see cref="DuplicityErrorCode.GlobbingError"/>.</param>
    /// <param name="pattern">The pattern as it was checked.</param>
    /// <param name="baseDirectory">The source's base directory the pattern was checked against.</param>
    public SelectionPatternException(DuplicityErrorCode code, string pattern, string baseDirectory)
        : base(code, code == DuplicityErrorCode.GlobbingError
            ? $"The glob '{pattern}' has consecutive '/'s."
            : $"The selection pattern '{pattern}' cannot match any file in the base directory '{baseDirectory}'.")
    {
        Pattern = pattern;
        BaseDirectory = baseDirectory;
    }

    /// <summary>
    /// The pattern as it was checked: for a glob with consecutive slashes, its leading part up to
    /// the first <c>**</c>; with an <c>ignorecase:</c> prefix, the lowercased rest.
    /// </summary>
    public string Pattern { get; }

    /// <summary>The source's base directory the pattern was checked against.</summary>
    public string BaseDirectory { get; }
}
