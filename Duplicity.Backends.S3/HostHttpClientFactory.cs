using Amazon.Runtime;

namespace Duplicity.Backends.S3;

/// <summary>
/// Gives the AWS SDK clients that send through the host's handler
/// (<see cref="BackendOpenOptions.HttpMessageHandlerFactory"/>), so proxies, certificates and
/// instrumentation are the host's. The SDK caches them per S3 client; the handler is never disposed here.
/// </summary>
internal sealed class HostHttpClientFactory(Func<HttpMessageHandler> createHandler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = createHandler() ?? throw new InvalidOperationException("HttpMessageHandlerFactory returned null.");
        var client = new HttpClient(handler, disposeHandler: false);
        // As the SDK does for the clients it builds itself.
        if (clientConfig.Timeout is { } timeout)
            client.Timeout = timeout;
        return client;
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    // Null: cached per S3 client and released with it, never shared with clients of other hosts' handlers.
    public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;
}
