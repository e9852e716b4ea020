using System.Collections.Concurrent;

namespace Duplicity.Tests.Support;

/// <summary>
/// A host's HTTP pipeline stand-in: sends through a real handler and keeps the values of chosen request and
/// response headers (tokens, signatures), so a test can look for them where they must not be.
/// </summary>
public sealed class HeaderRecordingHandler(params string[] headerNames) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    private readonly ConcurrentQueue<string> _values = new();
    private int _requests;

    /// <summary>Every recorded header value, requests and responses alike.</summary>
    public IReadOnlyList<string> Values => [.. _values.Distinct()];

    /// <summary>How many requests went through this handler.</summary>
    public int Requests => _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        Record(request.Headers);
        var response = await base.SendAsync(request, cancellationToken);
        Record(response.Headers);
        return response;
    }

    private void Record(System.Net.Http.Headers.HttpHeaders headers)
    {
        foreach (var name in headerNames)
        {
            if (headers.TryGetValues(name, out var values))
                foreach (var value in values)
                    _values.Enqueue(value);
        }
    }
}
