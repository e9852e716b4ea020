using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Duplicity.Backends;
using Duplicity.Backends.S3;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.S3;

/// <summary>
/// A throw-away s3rver on a free loopback port with its data in a temporary folder, started through
/// scripts/servers/s3rver/start.sh. Missing node/npm ignores the test (fails it under DUPLICITY_REQUIRE_SERVERS=1).
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly TempFolder _folder;

    private S3rverServer(TempFolder folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public string WorkDirectory => _folder.Path;
    public string DataDirectory => Path.Combine(_folder.Path, "data");

    /// <summary>Environment with s3rver's fixed credentials, for <see cref="BackendOpenOptions"/>.</summary>
    public static BackendOpenOptions OpenOptions(string accessKey = AccessKey) => new()
    {
        Environment = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = accessKey, ["AWS_SECRET_ACCESS_KEY"] = SecretKey },
    };

    public S3BackendOptions Options(long chunkSize = S3BackendOptions.DefaultMultipartChunkSize) =>
        new() { EndpointUrl = Endpoint, RegionName = "us-east-1", MultipartChunkSize = chunkSize };

    public S3Backend OpenBackend(string bucket, string prefix, S3BackendOptions? options = null, string accessKey = AccessKey) =>
        S3Backend.Open(BackendUrl.Parse($"boto3+s3://{bucket}/{prefix}"), OpenOptions(accessKey), options ?? Options());

    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Endpoint,
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Starts a server with the given buckets.</summary>
    public static async Task<S3rverServer> StartAsync(params string[] buckets)
    {
        var folder = new TempFolder();
        var server = new S3rverServer(folder, FreePort());
        await server.RunStartScriptAsync(buckets);
        return server;
    }

    /// <summary>Starts the server again on the same port and data (after <see cref="StopAsync"/>).</summary>
    public Task RestartAsync() => RunStartScriptAsync([]);

    public async Task StopAsync()
    {
        await ExternalTool.RunAsync("bash", [Script("stop.sh"), _folder.Path], timeout: TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }

    private async Task RunStartScriptAsync(string[] buckets)
    {
        var result = await ExternalTool.RunAsync("bash", [Script("start.sh"), _folder.Path, Port.ToString(), .. buckets],
            timeout: TimeSpan.FromMinutes(3));
        if (result.ExitCode == 3)
        {
            _folder.Dispose();
            var reason = "s3rver cannot run: " + result.StandardError.Trim();
            Requirement.Missing(reason);
        }
        if (result.ExitCode != 0)
        {
            _folder.Dispose();
            Assert.Fail($"s3rver start failed (exit {result.ExitCode}):\n{result.StandardError}");
        }
    }

    private static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "servers", "s3rver", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("scripts/servers/s3rver not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
