namespace Duplicity.Archive.Manifests;

/// <summary>One line of a manifest's Filelist: how a regular file changed in the set.</summary>
/// <param name="ChangeType"><c>new</c>, <c>changed</c> or <c>deleted</c> (see <see cref="ManifestChangeTypes"/>).</param>
/// <param name="Path">The file's index as raw bytes joined by <c>/</c> (unquoted).</param>
public sealed record ManifestFileChange(string ChangeType, byte[] Path);

/// <summary>The change types duplicity writes in a Filelist.</summary>
public static class ManifestChangeTypes
{
    /// <summary>Stored as a snapshot.</summary>
    public const string New = "new";
    /// <summary>Stored as a diff.</summary>
    public const string Changed = "changed";
    /// <summary>A regular file that disappeared.</summary>
    public const string Deleted = "deleted";
}
