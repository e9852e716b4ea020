using System.Text;

namespace Duplicity.Archive.Naming;

/// <summary>
/// What a duplicity file name says: kind, time(s), volume number and suffix flags.
/// </summary>
/// <param name="Kind">The kind of file.</param>
/// <param name="StartTime">For full kinds the backup time; for incremental kinds the previous set's end time.</param>
/// <param name="EndTime">For incremental kinds the backup time; for full kinds equal to <paramref name="StartTime"/>.</param>
/// <param name="VolumeNumber">The volume number (1-based) of a volume; 0 for other kinds.</param>
/// <param name="IsEncrypted">The name ends in <c>.gpg</c> (<c>.g</c>).</param>
/// <param name="IsCompressed">The name ends in <c>.gz</c> (<c>.z</c>).</param>
/// <param name="IsPartial">The name carries <c>.part</c> (<c>.p</c>): a local file of a running backup.</param>
public sealed record RemoteFileName(
    RemoteFileKind Kind,
    long StartTime,
    long EndTime,
    int VolumeNumber = 0,
    bool IsEncrypted = false,
    bool IsCompressed = false,
    bool IsPartial = false)
{
    /// <summary>True for full and incremental volumes.</summary>
    public bool IsVolume => Kind is RemoteFileKind.FullVolume or RemoteFileKind.IncrementalVolume;

    /// <summary>True for full and incremental manifests.</summary>
    public bool IsManifest => Kind is RemoteFileKind.FullManifest or RemoteFileKind.IncrementalManifest;

    /// <summary>True for signature files.</summary>
    public bool IsSignatures => Kind is RemoteFileKind.FullSignatures or RemoteFileKind.NewSignatures;

    /// <summary>True for the kinds named by two times.</summary>
    public bool IsIncremental => Kind is RemoteFileKind.IncrementalVolume or RemoteFileKind.IncrementalManifest or RemoteFileKind.NewSignatures;

    /// <summary>
    /// The file name duplicity gives this file under <paramref name="options"/>. Encryption wins over
    /// compression (only one suffix is written).
    /// </summary>
    public string Format(FileNamingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool shortNames = options.ShortFilenames;
        if (IsVolume && VolumeNumber < 1) throw new InvalidOperationException("A volume needs a volume number of 1 or more.");
        string suffix = IsEncrypted ? (shortNames ? ".g" : ".gpg") : IsCompressed ? (shortNames ? ".z" : ".gz") : "";
        string part = IsPartial ? (shortNames ? ".p" : ".part") : "";
        string prefix = options.FilePrefix + Kind switch
        {
            RemoteFileKind.FullVolume or RemoteFileKind.IncrementalVolume => options.ArchivePrefix,
            RemoteFileKind.FullManifest or RemoteFileKind.IncrementalManifest => options.ManifestPrefix,
            _ => options.SignaturePrefix,
        };
        string T(long t) => shortNames ? DuplicityTime.FormatBase36(t)
            : options.OldFilenames ? DuplicityTime.FormatOld(t, options.OldFilenamesZone ?? TimeZoneInfo.Local, options.TimeSeparator)
            : DuplicityTime.Format(t);
        string vol = shortNames ? $"{DuplicityTime.FormatBase36(VolumeNumber)}.dt" : $"vol{VolumeNumber}.difftar";
        string body = (Kind, shortNames) switch
        {
            (RemoteFileKind.FullVolume, false) => $"duplicity-full.{T(StartTime)}.{vol}",
            (RemoteFileKind.FullVolume, true) => $"df.{T(StartTime)}.{vol}",
            (RemoteFileKind.FullManifest, false) => $"duplicity-full.{T(StartTime)}.manifest",
            (RemoteFileKind.FullManifest, true) => $"df.{T(StartTime)}.m",
            (RemoteFileKind.IncrementalVolume, false) => $"duplicity-inc.{T(StartTime)}.to.{T(EndTime)}.{vol}",
            (RemoteFileKind.IncrementalVolume, true) => $"di.{T(StartTime)}.{T(EndTime)}.{vol}",
            (RemoteFileKind.IncrementalManifest, false) => $"duplicity-inc.{T(StartTime)}.to.{T(EndTime)}.manifest",
            (RemoteFileKind.IncrementalManifest, true) => $"di.{T(StartTime)}.{T(EndTime)}.m",
            (RemoteFileKind.FullSignatures, false) => $"duplicity-full-signatures.{T(StartTime)}.sigtar",
            (RemoteFileKind.FullSignatures, true) => $"dfs.{T(StartTime)}.st",
            (RemoteFileKind.NewSignatures, false) => $"duplicity-new-signatures.{T(StartTime)}.to.{T(EndTime)}.sigtar",
            (RemoteFileKind.NewSignatures, true) => $"dns.{T(StartTime)}.{T(EndTime)}.st",
            _ => throw new InvalidOperationException($"Unknown kind {Kind}."),
        };
        return prefix + body + part + suffix;
    }

    /// <summary>
    /// Recognises a duplicity file name the way duplicity does (section 2.4 of the format): full, then
    /// incremental, then signature patterns, each short form first and the long form unless short
    /// names are in force; anchored at the first byte (prefixes included); trailing extra suffixes
    /// tolerated; time fields matched shortest-first. Returns null for names that are not duplicity's
    /// (including those whose time field does not parse or is 0).
    /// </summary>
    /// <remarks>
    /// Long-name time fields accept what <see cref="DuplicityTime.TryParse(string, char, out long)"/>
    /// accepts, after upper-casing as duplicity does; duplicity's general parser would also take
    /// intervals and dates relative to the clock, which no writer produces.
    /// </remarks>
    public static RemoteFileName? TryParse(string name, FileNamingOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        // Match on bytes as duplicity does: one char per UTF-8 byte.
        string bytes = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(name));
        var patterns = RemoteFileNamePatterns.For(options);
        RemoteFileName? result = patterns.MatchFull(bytes, options) ?? patterns.MatchIncremental(bytes, options) ?? patterns.MatchSignatures(bytes, options);
        if (result is null) return null;
        bool shortOnly = options.ShortFilenames;
        bool compressed = bytes.EndsWith(".z", StringComparison.Ordinal) || (!shortOnly && bytes.EndsWith("gz", StringComparison.Ordinal));
        bool encrypted = bytes.EndsWith(".g", StringComparison.Ordinal) || (!shortOnly && bytes.EndsWith(".gpg", StringComparison.Ordinal));
        return result with { IsCompressed = compressed, IsEncrypted = encrypted };
    }
}
