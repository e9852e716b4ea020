using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Duplicity.Backends.WebDav;

/// <summary>One <c>DAV:response</c> of a PROPFIND answer.</summary>
/// <param name="Href">The resource's href, as sent.</param>
/// <param name="IsCollection">Whether it is a folder.</param>
/// <param name="Length">Its <c>getcontentlength</c>, or null when not reported.</param>
/// <param name="Status">The HTTP status of a response without properties (e.g. 507 for a truncated listing), else null.</param>
internal sealed record MultiStatusEntry(string Href, bool IsCollection, long? Length, int? Status);

/// <summary>
/// Reads a <c>207 Multi-Status</c> body one <c>DAV:response</c> at a time, so a folder of any size is listed in
/// constant memory. No DTDs, no external entities.
/// </summary>
internal sealed class MultiStatusReader : IDisposable
{
    private static readonly XNamespace Dav = "DAV:";
    private readonly XmlReader _reader;

    public MultiStatusReader(Stream body)
    {
        _reader = XmlReader.Create(body, new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        });
    }

    /// <summary>The next response, or null at the end of the document.</summary>
    /// <exception cref="BackendException">The body is not well-formed XML.</exception>
    public async Task<MultiStatusEntry?> ReadNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!_reader.EOF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_reader.NodeType == XmlNodeType.Element && _reader.LocalName == "response" && _reader.NamespaceURI == "DAV:")
                {
                    // One response is small: load it whole; ReadFromAsync leaves the reader after its end tag.
                    var element = (XElement)await XNode.ReadFromAsync(_reader, cancellationToken).ConfigureAwait(false);
                    if (Parse(element) is { } entry)
                        return entry;
                    continue;
                }
                if (!await _reader.ReadAsync().ConfigureAwait(false))
                    break;
            }
            return null;
        }
        catch (XmlException e)
        {
            throw new BackendException(BackendErrorKind.Transient, $"The WebDAV server answered a listing that is not well-formed XML: {e.Message}", e);
        }
    }

    private static MultiStatusEntry? Parse(XElement response)
    {
        var href = response.Element(Dav + "href")?.Value.Trim();
        if (string.IsNullOrEmpty(href))
            return null;
        var isCollection = false;
        long? length = null;
        foreach (var propstat in response.Elements(Dav + "propstat"))
        {
            if (StatusCode(propstat.Element(Dav + "status")?.Value) is { } code and not (>= 200 and < 300))
                continue;
            var prop = propstat.Element(Dav + "prop");
            if (prop is null)
                continue;
            if (prop.Element(Dav + "resourcetype")?.Element(Dav + "collection") is not null)
                isCollection = true;
            if (long.TryParse(prop.Element(Dav + "getcontentlength")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                length = value;
        }
        return new MultiStatusEntry(href, isCollection, length, StatusCode(response.Element(Dav + "status")?.Value));
    }

    /// <summary>The code of a status line such as <c>HTTP/1.1 200 OK</c>.</summary>
    private static int? StatusCode(string? line)
    {
        if (line is null)
            return null;
        var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    public void Dispose() => _reader.Dispose();
}
