namespace Duplicity.Backends.Ftp;

/// <summary>One reply of an FTP server (RFC 959 §4.2): a three-digit code and its text lines.</summary>
/// <param name="Code">The reply code, 100-599.</param>
/// <param name="Lines">The text of each line, without the code and its separator.</param>
internal sealed record FtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>1xx: the command started; another reply follows.</summary>
    public bool IsPreliminary => Code is >= 100 and < 200;

    /// <summary>2xx: the command completed.</summary>
    public bool IsSuccess => Code is >= 200 and < 300;

    /// <summary>3xx: the server waits for the next command of a sequence (PASS, RNTO, RETR after REST).</summary>
    public bool IsIntermediate => Code is >= 300 and < 400;

    /// <summary>The text of the reply on one line (a multi-line reply's lines joined by spaces).</summary>
    public string Text => string.Join(' ', Lines.Select(l => l.Trim())).Trim();

    /// <inheritdoc />
    public override string ToString() => $"{Code} {Text}";
}
