using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Duplicity.Backends;
using Duplicity.Backends.Azure;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Azure;

/// <summary>
/// A throw-away Azurite blob server on a free loopback port with its data in a temporary folder, started
/// through scripts/servers/azurite/start.sh. Missing node/npm ignores the test (fails it under DUPLICITY_REQUIRE_SERVERS=1).
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's development account (its key is public, documented by Microsoft).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempFolder _folder;

    private AzuriteServer(TempFolder folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }
    public string BlobEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";
    public string WorkDirectory => _folder.Path;

    /// <summary>The environment duplicity 0.8.22 reads: AZURE_CONNECTION_STRING only.</summary>
    public Dictionary<string, string?> Environment() => new() { ["AZURE_CONNECTION_STRING"] = ConnectionString };

    public BackendOpenOptions OpenOptions() => new() { Environment = Environment() };

    public AzureBackend OpenBackend(string container, AzureBackendOptions? options = null) =>
        AzureBackend.Open(BackendUrl.Parse($"azure://{container}"), OpenOptions(), options);

    public BlobServiceClient CreateClient() => new(ConnectionString);

    /// <summary>A fresh valid container name.</summary>
    public static string NewContainerName() => "c" + Guid.NewGuid().ToString("N");

    public static async Task<AzuriteServer> StartAsync()
    {
        var server = new AzuriteServer(new TempFolder(), FreePort());
        var result = await ExternalTool.RunAsync("bash", [Script("start.sh"), server._folder.Path, server.Port.ToString()],
            timeout: TimeSpan.FromMinutes(3));
        if (result.ExitCode == 3)
        {
            server._folder.Dispose();
            Requirement.Missing("Azurite cannot run: " + result.StandardError.Trim());
        }
        if (result.ExitCode != 0)
        {
            server._folder.Dispose();
            Assert.Fail($"Azurite start failed (exit {result.ExitCode}):\n{result.StandardError}");
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await ExternalTool.RunAsync("bash", [Script("stop.sh"), _folder.Path], timeout: TimeSpan.FromSeconds(30));
        _folder.Dispose();
    }

    private static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "servers", "azurite", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("scripts/servers/azurite not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
