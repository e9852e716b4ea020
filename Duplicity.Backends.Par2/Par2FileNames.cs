using System.Text.RegularExpressions;

namespace Duplicity.Backends.Par2;

/// <summary>
/// The names par2 gives a file's recovery files, as duplicity stores them beside it:
/// <c>name.par2</c> (the index) and <c>name.vol000+NNN.par2</c> (the recovery volumes).
/// </summary>
internal static class Par2FileNames
{
    private const string Extension = ".par2";

    /// <summary>The index file of <paramref name="name"/>.</summary>
    public static string Index(string name) => name + Extension;

    /// <summary>Whether a listed name is a par2 file (duplicity hides every name ending in <c>.par2</c>).</summary>
    public static bool IsPar2(string name) => name.EndsWith(Extension, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="candidate"/> is a recovery volume of <paramref name="name"/>.</summary>
    public static bool IsVolumeOf(string candidate, string name) =>
        candidate.StartsWith(name, StringComparison.Ordinal) && VolumePattern.IsMatch(candidate.AsSpan(name.Length));

    /// <summary>Whether <paramref name="candidate"/> is the index or a recovery volume of <paramref name="name"/>.</summary>
    public static bool BelongsTo(string candidate, string name) =>
        candidate == Index(name) || IsVolumeOf(candidate, name);

    // duplicity's pattern after the name: ".vol" digits and '+' signs, ".par2".
    private static readonly Regex VolumePattern = new(@"^\.vol[0-9+]*\.par2$", RegexOptions.CultureInvariant);
}
