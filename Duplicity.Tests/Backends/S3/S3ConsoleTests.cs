namespace Duplicity.Tests.Backends.S3;

/// <summary>The console over boto3+s3:// against s3rver, with duplicity's --s3-* options.</summary>
[Category("Server")]
[TestFixture]
[NonParallelizable]
public class S3ConsoleTests
{
    private static Dictionary<string, string?> Credentials() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
    };

    [Test]
    public async Task FullAndRestoreWithEndpointRegionAndMultipartOptions()
    {
        await using var server = await S3rverServer.StartAsync("console");

        // 1 MiB chunks: the 2 MiB volumes go up in parts (s3rver accepts parts under 5 MiB).
        await ConsoleRoundTrip.BackupAndRestoreAsync("boto3+s3://console/some/prefix", Credentials(),
            "--s3-endpoint-url", server.Endpoint, "--s3-region-name", "us-east-1",
            "--s3-multipart-chunk-size", "1", "--s3-multipart-max-procs", "2", "--num-retries", "2", "--backend-retry-delay", "1");

        var stored = Directory.EnumerateFileSystemEntries(Path.Combine(server.DataDirectory, "console"), "*", SearchOption.AllDirectories).ToList();
        Assert.That(stored, Has.Some.Match(@"some/prefix/duplicity-full\..*\.vol2\.difftar\.gz"), string.Join("\n", stored));
    }

    [Test]
    public async Task AnUnreachableEndpointIsRetriedNumRetriesTimesThenGivesUp()
    {
        using var tmp = new Support.TempFolder();
        Directory.CreateDirectory(tmp.Sub("src"));

        var (code, output, err) = await ConsoleRoundTrip.RunAsync(Credentials(), "full", "--no-encryption", "--archive-dir", tmp.Sub("cache"),
            "--s3-endpoint-url", "http://127.0.0.1:1", "--num-retries", "2", "--backend-retry-delay", "0", "--timeout", "5",
            tmp.Sub("src"), "boto3+s3://bucket/prefix");

        Assert.That(code, Is.EqualTo((int)DuplicityErrorCode.BackendGaveUp), err + output);
        Assert.That(err, Does.Contain("Giving up after 2 attempts"));
        Assert.That(output + err, Does.Contain("Nr. 1 failed"));
    }
}
