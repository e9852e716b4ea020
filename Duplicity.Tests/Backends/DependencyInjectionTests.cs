using Duplicity.Backends;
using Duplicity.Backends.Azure;
using Duplicity.Backends.S3;
using Duplicity.Backends.Ssh;
using Duplicity.Backends.Swift;
using Duplicity.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duplicity.Tests.Backends;

/// <summary>AddDuplicity and the backend packages' AddDuplicity* extensions on a real ServiceCollection.</summary>
[Category("Unit")]
public class DependencyInjectionTests
{
    [Test]
    public void AddDuplicityRegistersOneRegistryWithTheFileScheme()
    {
        using var provider = new ServiceCollection().AddDuplicity().BuildServiceProvider();

        var registry = provider.GetRequiredService<BackendRegistry>();

        Assert.That(registry.Schemes, Is.EqualTo(new[] { "file" }));
        Assert.That(provider.GetRequiredService<BackendRegistry>(), Is.SameAs(registry), "a singleton");
    }

    [Test]
    public void EveryBackendPackageAddsItsSchemesToTheSameRegistry()
    {
        var services = new ServiceCollection()
            .AddDuplicitySsh()
            .AddDuplicityS3()
            .AddDuplicitySwift()
            .AddDuplicityAzure()
            .AddDuplicity(r => r.Register("memory", (_, _) => new InMemoryBackend()));
        using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<BackendRegistry>();

        Assert.That(registry.Schemes, Is.EquivalentTo(new[]
        {
            "file", "sftp", "scp", "ssh", "paramiko+sftp", "paramiko+scp", "pexpect+sftp", "pexpect+scp",
            "s3", "boto3+s3", "s3+http", "swift", "azure", "memory",
        }));
        Assert.That(services.Count(d => d.ServiceType == typeof(BackendRegistry)), Is.EqualTo(1));
    }

    [Test]
    public async Task TheOptionsGivenToTheExtensionReachTheBackends()
    {
        var options = new S3BackendOptions { EndpointUrl = "http://127.0.0.1:1", RegionName = "eu-west-3", MaxErrorRetry = 0 };
        using var provider = new ServiceCollection().AddDuplicityS3(options).BuildServiceProvider();
        options.EndpointUrl = "http://changed.invalid";   // copied at registration: later changes are not seen

        await using var backend = (S3Backend)provider.GetRequiredService<BackendRegistry>().Open("s3+http://bucket/prefix",
            new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "k", ["AWS_SECRET_ACCESS_KEY"] = "s" } });

        Assert.That(backend.Bucket, Is.EqualTo("bucket"));
        // Nothing listens on port 1: the request goes to the configured endpoint and fails as a network error.
        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.Message, Does.Not.Contain("changed.invalid"));
    }

    [Test]
    public async Task TheAzureOptionsGivenToTheExtensionReachTheBackends()
    {
        var options = new AzureBackendOptions { BlobEndpoint = new Uri("http://127.0.0.1:1/account"), MaxRetries = 0 };
        using var provider = new ServiceCollection().AddDuplicityAzure(options).BuildServiceProvider();
        options.BlobEndpoint = new Uri("http://changed.invalid/account");   // copied at registration: later changes are not seen

        await using var backend = (AzureBackend)provider.GetRequiredService<BackendRegistry>().Open("azure://backups",
            new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["AZURE_ACCOUNT_NAME"] = "account", ["AZURE_ACCOUNT_KEY"] = "a2V5" } });

        Assert.That(backend.Container, Is.EqualTo("backups"));
        // Nothing listens on port 1: the request goes to the configured endpoint and fails as a network error.
        var error = Assert.ThrowsAsync<BackendException>(async () => await backend.ListAsync().CountAsync());
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Transient));
        Assert.That(error.Message, Does.Not.Contain("changed.invalid"));
    }

    [Test]
    public void ContradictingS3OptionsAreRefusedAtRegistration()
    {
        var options = new S3BackendOptions { UseGlacier = true, UseDeepArchive = true };
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddDuplicityS3(options));
    }

    [Test]
    public void RegisteringABackendTwiceFailsWhenTheRegistryIsBuilt()
    {
        using var provider = new ServiceCollection().AddDuplicitySwift().AddDuplicitySwift().BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BackendRegistry>());
    }

    [Test]
    public void ARegistryRegisteredByTheHostIsKept()
    {
        var own = new BackendRegistry();
        using var provider = new ServiceCollection().AddSingleton(own).AddDuplicity().BuildServiceProvider();
        Assert.That(provider.GetRequiredService<BackendRegistry>(), Is.SameAs(own));
    }

    [Test]
    public async Task RegistryOpenedBackendsGetTheContainersLoggerFactoryAndClock()
    {
        using var tmp = new Support.TempFolder();
        var log = new Support.RecordingLoggerFactory();
        var clock = new Retry.ManualTimeProvider();
        BackendOpenOptions? probed = null;
        using var provider = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(log)
            .AddSingleton<TimeProvider>(clock)
            .AddDuplicity(r => r.Register("probe", (_, options) => { probed = options; return new InMemoryBackend(); }))
            .BuildServiceProvider();
        var registry = provider.GetRequiredService<BackendRegistry>();

        await using (var file = registry.Open("file://" + tmp.Path))
            await file.PutAsync("f", new MemoryStream([1]));
        await using (registry.Open("probe://x")) { }

        Assert.That(log.EventIds, Is.EqualTo(new[] { DuplicityEventIds.BackendOpened, DuplicityEventIds.BackendOpened }));
        Assert.That(log.All[0], Does.Contain("file://" + tmp.Path));
        Assert.That(probed!.LoggerFactory, Is.SameAs(log));
        Assert.That(probed.TimeProvider, Is.SameAs(clock));
        Assert.That(provider.GetRequiredService<BackendOpenOptions>(), Is.Not.SameAs(probed), "a fresh context (and environment snapshot) per open");
    }

    [Test]
    public void WithoutLoggingOrClockInTheContainerBackendsGetTheDefaults()
    {
        using var provider = new ServiceCollection().AddDuplicity().BuildServiceProvider();

        var options = provider.GetRequiredService<BackendOpenOptions>();

        Assert.That(options.LoggerFactory, Is.SameAs(NullLoggerFactory.Instance));
        Assert.That(options.TimeProvider, Is.SameAs(TimeProvider.System));
    }

    [Test]
    public void BackendOpenOptionsRegisteredByTheHostAreKept()
    {
        Func<HttpMessageHandler> handlers = () => new HttpClientHandler();
        BackendOpenOptions? probed = null;
        using var provider = new ServiceCollection()
            .AddTransient(_ => new BackendOpenOptions { HttpMessageHandlerFactory = handlers })
            .AddDuplicity(r => r.Register("probe", (_, options) => { probed = options; return new InMemoryBackend(); }))
            .BuildServiceProvider();

        provider.GetRequiredService<BackendRegistry>().Open("probe://x");

        Assert.That(probed!.HttpMessageHandlerFactory, Is.SameAs(handlers));
    }
}
