using Azure;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Duplicity.Backends.Azure;

/// <summary>
/// Builds the blob service client from the environment, as duplicity reads it: <c>AZURE_CONNECTION_STRING</c>
/// (the only variable duplicity 0.8.22 reads) or, as older duplicity versions did, <c>AZURE_ACCOUNT_NAME</c>
/// with <c>AZURE_ACCOUNT_KEY</c> or <c>AZURE_SHARED_ACCESS_SIGNATURE</c>. No value reaches a message.
/// </summary>
internal static class AzureClientFactory
{
    /// <summary>A client, its endpoint for log lines (no query) and the kind of credential, for the log.</summary>
    public static (BlobServiceClient Client, string Endpoint, string Credential, HttpClient? OwnedHttpClient) Create(
        BackendOpenOptions context, AzureBackendOptions options)
    {
        var clientOptions = new BlobClientOptions();
        if (options.Timeout is { } timeout)
            clientOptions.Retry.NetworkTimeout = timeout;
        if (options.MaxRetries is { } retries)
            clientOptions.Retry.MaxRetries = retries;
        HttpClient? httpClient = null;
        if (context.HttpMessageHandlerFactory is { } createHandler)
        {
            var handler = createHandler() ?? throw new InvalidOperationException("HttpMessageHandlerFactory returned null.");
            // The SDK applies its own network timeout per request and per read; the handler stays the host's.
            httpClient = new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            clientOptions.Transport = new HttpClientTransport(httpClient);
        }

        string? Get(string name) => context.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        BlobServiceClient client;
        string credential;
        if (Get("AZURE_CONNECTION_STRING") is { } connectionString)
        {
            try
            {
                client = new BlobServiceClient(connectionString, clientOptions);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                // No inner exception: the parser's message may quote the string, and with it the key.
                httpClient?.Dispose();
                throw new BackendException(BackendErrorKind.Permanent, "AZURE_CONNECTION_STRING is not a valid Azure Storage connection string.");
            }
            credential = "connection string";
        }
        else if (Get("AZURE_ACCOUNT_NAME") is { } account)
        {
            var endpoint = options.BlobEndpoint ?? new Uri($"https://{account}.blob.core.windows.net");
            if (Get("AZURE_ACCOUNT_KEY") is { } key)
            {
                StorageSharedKeyCredential shared;
                try
                {
                    shared = new StorageSharedKeyCredential(account, key);
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    httpClient?.Dispose();
                    throw new BackendException(BackendErrorKind.Permanent, "AZURE_ACCOUNT_KEY is not a valid (base64) Azure Storage account key.");
                }
                client = new BlobServiceClient(endpoint, shared, clientOptions);
                credential = "account key";
            }
            else if (Get("AZURE_SHARED_ACCESS_SIGNATURE") is { } sas)
            {
                client = new BlobServiceClient(endpoint, new AzureSasCredential(sas.TrimStart('?')), clientOptions);
                credential = "shared access signature";
            }
            else
            {
                httpClient?.Dispose();
                throw new BackendException(BackendErrorKind.Permanent,
                    "AZURE_ACCOUNT_NAME is set, but neither AZURE_ACCOUNT_KEY nor AZURE_SHARED_ACCESS_SIGNATURE.");
            }
        }
        else
        {
            httpClient?.Dispose();
            throw new BackendException(BackendErrorKind.Permanent,
                "AZURE_CONNECTION_STRING environment variable not set (or AZURE_ACCOUNT_NAME with AZURE_ACCOUNT_KEY or AZURE_SHARED_ACCESS_SIGNATURE).");
        }
        return (client, client.Uri.GetLeftPart(UriPartial.Path), credential, httpClient);
    }
}
