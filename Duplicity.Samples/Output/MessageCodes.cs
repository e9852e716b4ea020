namespace Duplicity.Samples.Output;

/// <summary>
/// The machine-log code and extra field of an SDK log message, recognised by its message template
/// (the SDK logs duplicity's texts; the codes are what frontends of duplicity parse).
/// </summary>
internal static class MessageCodes
{
    // duplicity's info and warning codes (log.InfoCode / log.WarningCode).
    public const int Generic = 1;
    public const int CollectionStatus = 3;
    public const int NewFile = 4;
    public const int ChangedFile = 5;
    public const int DeletedFile = 6;
    public const int Writing = 7;
    public const int Patching = 8;
    public const int FileList = 10;
    public const int SkippingSocket = 15;
    public const int UploadProgress = 16;

    public static (int Code, string? Extra) For(int level, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        if (state == null) return (Generic, null);
        string? template = null;
        object? path = null, type = null, kind = null;
        foreach (var (key, value) in state)
        {
            switch (key)
            {
                case "{OriginalFormat}": template = value as string; break;
                case "Path": path = value; break;
                case "Type": type = value; break;
                case "Kind": kind = value; break;
            }
        }
        if (template == null) return (Generic, null);
        string Quoted() => PythonEscape.Quote(path?.ToString() ?? "");
        if (level >= 5)
        {
            if (template.StartsWith("A {Path}", StringComparison.Ordinal)) return (NewFile, Quoted());
            if (template.StartsWith("M {Path}", StringComparison.Ordinal)) return (ChangedFile, Quoted());
            if (template.StartsWith("D {Path}", StringComparison.Ordinal)) return (DeletedFile, Quoted());
            if (template.StartsWith("Writing {Path} of type", StringComparison.Ordinal)) return (Writing, $"{Quoted()} {type}");
            if (template.StartsWith("Patching {Path}", StringComparison.Ordinal)) return (Patching, Quoted());
        }
        if (level == 2)
        {
            if (template.StartsWith("Error accessing possibly locked file", StringComparison.Ordinal)) return (10, Quoted());
            if (template.StartsWith("No signature chain for the requested time", StringComparison.Ordinal)) return (11, null);
            if (template.StartsWith("{Kind}: {Path}", StringComparison.Ordinal))
                return kind?.ToString() switch
                {
                    "SkippedSocket" => (SkippingSocket, Quoted()),
                    "CannotList" => (8, Quoted()),
                    "CannotStat" or "Vanished" => (9, Quoted()),
                    "Unreadable" => (10, Quoted()),
                    _ => (Generic, null),
                };
            if (template.Contains("orphaned signature", StringComparison.Ordinal)) return (2, null);
            if (template.Contains("incomplete backup set", StringComparison.Ordinal)) return (5, null);
            if (template.Contains("orphaned backup", StringComparison.Ordinal)) return (6, null);
        }
        return (Generic, null);
    }
}
