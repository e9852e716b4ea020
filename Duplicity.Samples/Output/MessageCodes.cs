using Duplicity.Selection;
using Ids = Duplicity.Diagnostics.DuplicityEventIds;

namespace Duplicity.Samples.Output;

/// <summary>
/// The machine-log code and extra field of an SDK log event, chosen by its event id and values
/// (the codes are what frontends of duplicity parse, so they never depend on message texts).
/// </summary>
internal static class MessageCodes
{
    // duplicity's info codes (log.InfoCode).
    public const int Generic = 1;
    public const int CollectionStatus = 3;
    public const int NewFile = 4;
    public const int ChangedFile = 5;
    public const int DeletedFile = 6;
    public const int Writing = 7;
    public const int FileList = 10;
    public const int SkippingSocket = 15;
    public const int UploadProgress = 16;

    // duplicity's warning codes (log.WarningCode).
    public const int CannotIterate = 8;
    public const int CannotStat = 9;
    public const int CannotRead = 10;
    public const int NoSignatureForTime = 11;

    public static (int Code, string? Extra) For(int eventId, EventValues v) => eventId switch
    {
        Ids.BackupFileAdded => (NewFile, QuotedPath(v)),
        Ids.BackupFileChanged => (ChangedFile, QuotedPath(v)),
        Ids.BackupFileDeleted => (DeletedFile, QuotedPath(v)),
        Ids.RestoreWriting => (Writing, $"{QuotedPath(v)} {v.Text("Type")}"),
        Ids.BackupFileLocked => (CannotRead, QuotedPath(v)),
        Ids.ListNoChainForTime => (NoSignatureForTime, null),
        Ids.BackupSourceProblem => v["Kind"] switch
        {
            SourceWalkProblemKind.SkippedSocket => (SkippingSocket, QuotedPath(v)),
            SourceWalkProblemKind.CannotList => (CannotIterate, QuotedPath(v)),
            SourceWalkProblemKind.CannotStat or SourceWalkProblemKind.Vanished => (CannotStat, QuotedPath(v)),
            SourceWalkProblemKind.Unreadable => (CannotRead, QuotedPath(v)),
            _ => (Generic, null),
        },
        _ => (Generic, null),
    };

    private static string QuotedPath(EventValues v) => PythonEscape.Quote(v["Path"]?.ToString() ?? "");
}
