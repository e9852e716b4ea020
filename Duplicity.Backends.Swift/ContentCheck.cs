using System.Security.Cryptography;

namespace Duplicity.Backends.Swift;

/// <summary>
/// Checks a downloaded body against the MD5s Swift keeps: one part for a plain object (its ETag), one part per
/// segment for a Static Large Object (from its manifest). A mismatch fails the download; its bytes were
/// already handed out, so only a new download from the start could help (the restore's volume hash decides).
/// </summary>
internal sealed class ContentCheck(IReadOnlyList<(long Length, string Md5)> parts, string what)
{
    #pragma warning disable CA5351 // Swift's ETags are MD5: an integrity check of the transfer, no secret is protected.
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
    private int _part;
    private long _inPart;

    /// <summary>Hashes the next bytes of the body, closing each part at its boundary.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_part >= parts.Count)
                throw Mismatch($"is longer than its {parts.Count} part(s)");
            var take = (int)Math.Min(data.Length, parts[_part].Length - _inPart);
            _md5.AppendData(data[..take]);
            _inPart += take;
            data = data[take..];
            if (_inPart == parts[_part].Length)
                ClosePart();
        }
    }

    /// <summary>At the end of the body: every part must have been received whole.</summary>
    public void Complete()
    {
        // Zero-length parts (an empty object) close without data.
        while (_part < parts.Count && parts[_part].Length == 0 && _inPart == 0)
            ClosePart();
        if (_part != parts.Count)
            throw Mismatch($"ended in part {_part + 1} of {parts.Count}");
    }

    private void ClosePart()
    {
        var actual = Convert.ToHexStringLower(_md5.GetHashAndReset());
        if (!string.Equals(actual, parts[_part].Md5, StringComparison.OrdinalIgnoreCase))
            throw Mismatch(parts.Count == 1 ? $"has MD5 {actual}, not its ETag {parts[0].Md5}" : $"segment {_part + 1} has MD5 {actual}, not {parts[_part].Md5}");
        _part++;
        _inPart = 0;
    }

    private BackendException Mismatch(string how) =>
        new(BackendErrorKind.Permanent, $"Swift download of {what} is corrupt: it {how}.");

    /// <summary>An ETag header without its quotes (Swift quotes the ETag of a large object).</summary>
    public static string Unquote(string? etag) => (etag ?? "").Trim().Trim('"');

    /// <summary>The ETag Swift gives a Static Large Object: the MD5 of its segments' MD5s, concatenated as hex.</summary>
    public static string LargeObjectETag(IEnumerable<string> segmentMd5s)
    {
#pragma warning disable CA5351 // As above: Swift defines this ETag with MD5.
        return Convert.ToHexStringLower(MD5.HashData(System.Text.Encoding.ASCII.GetBytes(string.Concat(segmentMd5s))));
#pragma warning restore CA5351
    }
}
