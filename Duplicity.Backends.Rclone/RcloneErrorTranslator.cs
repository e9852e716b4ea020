namespace Duplicity.Backends.Rclone;

/// <summary>
/// Turns rclone's exit code and the end of its standard error into a <see cref="BackendException"/> of the
/// right kind. Exit codes (rclone's documentation): 1 usage or configuration error, 3 directory not found,
/// 4 file not found, 5 temporary error, 7 fatal error, 2 and 6 anything else.
/// </summary>
internal static class RcloneErrorTranslator
{
    private static readonly string[] PermissionWords =
        ["permission denied", "access denied", "accessdenied", "forbidden", "403", "401", "unauthorized",
         "unable to authenticate", "authentication failed", "invalid credentials", "signaturedoesnotmatch",
         "invalidaccesskeyid", "auth failed"];

    private static readonly string[] NoSpaceWords =
        ["no space left", "quota", "insufficient storage", "disk full", "storage full", "507"];

    private static readonly string[] ConfigWords =
        ["didn't find section in config file", "config file", "unknown flag", "couldn't find backend",
         "is not a valid"];

    private static readonly string[] NotFoundWords =
        ["directory not found", "object not found", "file not found", "doesn't exist", "no such file",
         "not found", "nosuchbucket", "nosuchkey"];

    /// <summary>The error for a failed rclone run.</summary>
    /// <param name="operation">What was being done, e.g. <c>upload of duplicity-full...</c> (no secrets).</param>
    /// <param name="exitCode">rclone's exit code.</param>
    /// <param name="standardError">rclone's standard error (its last lines are kept in the message, redacted).</param>
    public static BackendException Translate(string operation, int exitCode, string standardError)
    {
        var detail = LastLine(standardError);
        var message = detail.Length == 0
            ? $"rclone failed in the {operation} (exit code {exitCode})"
            : $"rclone failed in the {operation} (exit code {exitCode}): {detail}";
        return new BackendException(Classify(exitCode, standardError), message);
    }

    /// <summary>The kind of failure of an rclone run.</summary>
    public static BackendErrorKind Classify(int exitCode, string standardError)
    {
        var text = standardError.ToLowerInvariant();
        switch (exitCode)
        {
            case 3 or 4:
                return BackendErrorKind.NotFound;
            case 5:
                return BackendErrorKind.Transient;
            case 1 when Contains(text, ConfigWords) || !Contains(text, NotFoundWords):
                return BackendErrorKind.Permanent;
        }
        if (Contains(text, PermissionWords))
            return BackendErrorKind.PermissionDenied;
        if (Contains(text, NoSpaceWords))
            return BackendErrorKind.NoSpace;
        if (Contains(text, ConfigWords))
            return BackendErrorKind.Permanent;
        if (Contains(text, NotFoundWords))
            return BackendErrorKind.NotFound;
        // 7 is rclone's "fatal: retries will not help"; everything else may pass, as duplicity retries it.
        return exitCode == 7 ? BackendErrorKind.Permanent : BackendErrorKind.Transient;
    }

    private static bool Contains(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    // rclone prints "2026/01/01 10:00:00 ERROR : ..." lines; the last one carries the reason. URLs in it
    // lose their passwords, and the line is capped so a huge dump never becomes a message.
    private static string LastLine(string standardError)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
            return "";
        var line = BackendUrl.Redact(lines[^1]);
        return line.Length <= 500 ? line : line[..500] + "...";
    }
}
