namespace Duplicity.Archive.Naming;

/// <summary>
/// The options that shape duplicity's file names: <c>--file-prefix</c>, <c>--file-prefix-archive</c>,
/// <c>--file-prefix-manifest</c>, <c>--file-prefix-signature</c>, <c>--short-filenames</c>,
/// <c>--old-filenames</c> and <c>--time-separator</c>.
/// </summary>
public sealed record FileNamingOptions
{
    /// <summary>The defaults: no prefixes, long names, new time format.</summary>
    public static FileNamingOptions Default { get; } = new();

    /// <summary>Prefix of every file (<c>--file-prefix</c>).</summary>
    public string FilePrefix { get; init; } = "";

    /// <summary>Prefix of volumes, after <see cref="FilePrefix"/> (<c>--file-prefix-archive</c>).</summary>
    public string ArchivePrefix { get; init; } = "";

    /// <summary>Prefix of manifests, after <see cref="FilePrefix"/> (<c>--file-prefix-manifest</c>).</summary>
    public string ManifestPrefix { get; init; } = "";

    /// <summary>Prefix of signature files, after <see cref="FilePrefix"/> (<c>--file-prefix-signature</c>).</summary>
    public string SignaturePrefix { get; init; } = "";

    /// <summary>Write (and only read) the deprecated short names (<c>--short-filenames</c>).</summary>
    public bool ShortFilenames { get; init; }

    /// <summary>Write times in the deprecated local-time form (<c>--old-filenames</c>).</summary>
    public bool OldFilenames { get; init; }

    /// <summary>Separator between hours, minutes and seconds in the old form (<c>--time-separator</c>).</summary>
    public char TimeSeparator { get; init; } = ':';

    /// <summary>The zone old-form times are written in; null means the machine's local zone.</summary>
    public TimeZoneInfo? OldFilenamesZone { get; init; }
}
