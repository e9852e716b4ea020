using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Duplicity.Archive.Naming;

/// <summary>
/// duplicity's twelve file-name patterns for one set of prefixes, matched against names held as
/// one char per byte (Latin-1 view of the UTF-8 bytes).
/// </summary>
internal sealed class RemoteFileNamePatterns
{
    private static readonly ConcurrentDictionary<(string, string, string, string), RemoteFileNamePatterns> Cache = new();

    private readonly Regex _fullVolume, _fullVolumeShort, _fullManifest, _fullManifestShort;
    private readonly Regex _incVolume, _incVolumeShort, _incManifest, _incManifestShort;
    private readonly Regex _fullSig, _fullSigShort, _newSig, _newSigShort;

    private RemoteFileNamePatterns(string file, string archive, string manifest, string signature)
    {
        string Esc(string prefix) => Regex.Escape(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(prefix)));
        string a = "^" + Esc(file) + Esc(archive), m = "^" + Esc(file) + Esc(manifest), s = "^" + Esc(file) + Esc(signature);
        const string Long = @"(?<time>.*?)", Short = @"(?<time>[0-9a-z]+?)";
        const string LongPair = @"(?<start>.*?)\.to\.(?<end>.*?)", ShortPair = @"(?<start>[0-9a-z]+?)\.(?<end>[0-9a-z]+?)";
        const string End = @"($|\.)";
        _fullVolume = Make(a + @"duplicity-full\." + Long + @"\.vol(?<num>[0-9]+)\.difftar(?<partial>\.part)?" + End);
        _fullVolumeShort = Make(a + @"df\." + Short + @"\.(?<num>[0-9a-z]+)\.dt(?<partial>\.p)?" + End);
        _fullManifest = Make(m + @"duplicity-full\." + Long + @"\.manifest(?<partial>\.part)?" + End);
        _fullManifestShort = Make(m + @"df\." + Short + @"\.m(?<partial>\.p)?" + End);
        _incVolume = Make(a + @"duplicity-inc\." + LongPair + @"\.vol(?<num>[0-9]+)\.difftar" + End);
        _incVolumeShort = Make(a + @"di\." + ShortPair + @"\.(?<num>[0-9a-z]+)\.dt" + End);
        _incManifest = Make(m + @"duplicity-inc\." + LongPair + @"\.manifest(?<partial>\.part)?" + End);
        _incManifestShort = Make(m + @"di\." + ShortPair + @"\.m(?<partial>\.p)?" + End);
        _fullSig = Make(s + @"duplicity-full-signatures\." + Long + @"\.sigtar(?<partial>\.part)?" + End);
        _fullSigShort = Make(s + @"dfs\." + Short + @"\.st(?<partial>\.p)?" + End);
        _newSig = Make(s + @"duplicity-new-signatures\." + LongPair + @"\.sigtar(?<partial>\.part)?" + End);
        _newSigShort = Make(s + @"dns\." + ShortPair + @"\.st(?<partial>\.p)?" + End);
    }

    private static Regex Make(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public static RemoteFileNamePatterns For(FileNamingOptions o) =>
        Cache.GetOrAdd((o.FilePrefix, o.ArchivePrefix, o.ManifestPrefix, o.SignaturePrefix),
            k => new RemoteFileNamePatterns(k.Item1, k.Item2, k.Item3, k.Item4));

    public RemoteFileName? MatchFull(string name, FileNamingOptions options)
    {
        bool isShort = true;
        Match vol = _fullVolumeShort.Match(name), man = _fullManifestShort.Match(name);
        if (!vol.Success && !man.Success && !options.ShortFilenames)
        {
            isShort = false;
            vol = _fullVolume.Match(name);
            man = _fullManifest.Match(name);
        }
        Match hit = vol.Success ? vol : man;
        if (!hit.Success || !TryTime(hit.Groups["time"].Value, isShort, options, out long t)) return null;
        if (vol.Success)
        {
            if (!TryVolume(vol.Groups["num"].Value, isShort, out int n)) return null;
            return new RemoteFileName(RemoteFileKind.FullVolume, t, t, n);
        }
        return new RemoteFileName(RemoteFileKind.FullManifest, t, t, IsPartial: man.Groups["partial"].Success);
    }

    public RemoteFileName? MatchIncremental(string name, FileNamingOptions options)
    {
        bool isShort = true;
        Match vol = _incVolumeShort.Match(name), man = _incManifestShort.Match(name);
        if (!vol.Success && !man.Success && !options.ShortFilenames)
        {
            isShort = false;
            vol = _incVolume.Match(name);
            man = _incManifest.Match(name);
        }
        Match hit = vol.Success ? vol : man;
        if (!hit.Success || !TryTime(hit.Groups["start"].Value, isShort, options, out long start)
            || !TryTime(hit.Groups["end"].Value, isShort, options, out long end))
            return null;
        if (vol.Success)
        {
            if (!TryVolume(vol.Groups["num"].Value, isShort, out int n)) return null;
            return new RemoteFileName(RemoteFileKind.IncrementalVolume, start, end, n);
        }
        return new RemoteFileName(RemoteFileKind.IncrementalManifest, start, end, IsPartial: man.Groups["partial"].Success);
    }

    public RemoteFileName? MatchSignatures(string name, FileNamingOptions options)
    {
        bool isShort = true;
        Match m = _fullSigShort.Match(name);
        if (!m.Success && !options.ShortFilenames)
        {
            isShort = false;
            m = _fullSig.Match(name);
        }
        if (m.Success)
        {
            // duplicity gives up here when the time is bad, without trying the new-signatures patterns.
            if (!TryTime(m.Groups["time"].Value, isShort, options, out long t)) return null;
            return new RemoteFileName(RemoteFileKind.FullSignatures, t, t, IsPartial: m.Groups["partial"].Success);
        }
        isShort = true;
        m = _newSigShort.Match(name);
        if (!m.Success && !options.ShortFilenames)
        {
            isShort = false;
            m = _newSig.Match(name);
        }
        if (!m.Success || !TryTime(m.Groups["start"].Value, isShort, options, out long start)
            || !TryTime(m.Groups["end"].Value, isShort, options, out long end))
            return null;
        return new RemoteFileName(RemoteFileKind.NewSignatures, start, end, IsPartial: m.Groups["partial"].Success);
    }

    /// <summary>Latest time a name may carry: later ones cannot be formatted or shown (year 9999).</summary>
    private static readonly long MaxTime = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// A time field; 0 counts as no time, as in duplicity, and so does a time past year 9999 (a hostile
    /// name would otherwise break every listing that formats it).
    /// </summary>
    private static bool TryTime(string field, bool isShort, FileNamingOptions options, out long seconds) =>
        TryTimeValue(field, isShort, options, out seconds) && seconds != 0 && seconds <= MaxTime;

    private static bool TryTimeValue(string field, bool isShort, FileNamingOptions options, out long seconds)
    {
        if (isShort) return DuplicityTime.TryParseBase36(field, out seconds);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(Encoding.Latin1.GetBytes(field));
        }
        catch (DecoderFallbackException)
        {
            seconds = 0;
            return false;
        }
        return DuplicityTime.TryParse(text.ToUpperInvariant(), options.TimeSeparator, out seconds);
    }

    /// <summary>A volume number; 0 makes duplicity fail an assertion, so such a name is rejected.</summary>
    private static bool TryVolume(string field, bool isShort, out int number)
    {
        number = 0;
        long value;
        if (isShort)
        {
            if (!DuplicityTime.TryParseBase36(field, out value)) return false;
        }
        else if (!long.TryParse(field, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        if (value < 1 || value > int.MaxValue) return false;
        number = (int)value;
        return true;
    }
}
