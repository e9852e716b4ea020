using Duplicity.Backends;

namespace Duplicity.Tests.Backends;

[Category("Unit")]
[NonParallelizable]
public class BackendRegistryTests
{
    [Test]
    public void AnUnknownSchemeIsAUserErrorWithDuplicitysMessage()
    {
        var registry = new BackendRegistry().AddFileSystem();

        var error = Assert.Throws<DuplicityException>(() => registry.Open("foo://me:secret@bar/baz"));

        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.UserError));
        Assert.That(error.Message, Is.EqualTo("scheme not supported in url: foo://me:***@bar/baz"));
    }

    [Test]
    public void AMalformedUrlIsABadUrl()
    {
        var error = Assert.Throws<DuplicityException>(() => new BackendRegistry().AddFileSystem().Open("/not/a/url"));

        Assert.That(error!.Code, Is.EqualTo(DuplicityErrorCode.BadUrl));
    }

    [Test]
    public async Task SchemesAreCaseInsensitive()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dup-registry-" + Guid.NewGuid().ToString("N"));
        try
        {
            var registry = new BackendRegistry().AddFileSystem();

            Assert.That(registry.IsRegistered("FILE"), Is.True);
            Assert.That(registry.IsRegistered("sftp"), Is.False);
            await using var backend = registry.Open("FiLe://" + folder);

            Assert.That(backend, Is.InstanceOf<FileBackend>());
            Assert.That(((FileBackend)backend).FolderPath, Is.EqualTo(folder));
            Assert.That(Directory.Exists(folder), Is.True);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void RegisteringASchemeTwiceIsRefused()
    {
        var registry = new BackendRegistry().AddFileSystem();

        Assert.Throws<InvalidOperationException>(() => registry.Register("File", (_, _) => new InMemoryBackend()));
        Assert.Throws<ArgumentException>(() => registry.Register("bad scheme", (_, _) => new InMemoryBackend()));
        Assert.Throws<ArgumentException>(() => registry.Register("9p", (_, _) => new InMemoryBackend()));
    }

    [Test]
    public void TheFactoryGetsTheParsedUrlAndTheOptions()
    {
        BackendUrl? seenUrl = null;
        BackendOpenOptions? seenOptions = null;
        var memory = new InMemoryBackend();
        var registry = new BackendRegistry().Register("mem+test", (url, options) =>
        {
            seenUrl = url;
            seenOptions = options;
            return memory;
        });
        var given = new BackendOpenOptions { Environment = new Dictionary<string, string?> { ["FTP_PASSWORD"] = "pw", ["EMPTY"] = "" } };

        var opened = registry.Open("MEM+TEST://u:p@h/x", given);

        Assert.That(opened, Is.SameAs(memory));
        Assert.That(seenUrl!.Scheme, Is.EqualTo("mem+test"));
        Assert.That(seenUrl.Password, Is.EqualTo("p"));
        Assert.That(seenOptions, Is.SameAs(given));
        Assert.That(seenOptions!.GetEnvironmentVariable("FTP_PASSWORD"), Is.EqualTo("pw"));
        Assert.That(seenOptions.GetEnvironmentVariable("EMPTY"), Is.Null);
        Assert.That(registry.Schemes, Is.EqualTo(new[] { "mem+test" }));
    }

    [Test]
    public void DefaultOptionsSeeTheProcessEnvironment()
    {
        var name = "DUPLICITY_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "value");
        try
        {
            Assert.That(new BackendOpenOptions().GetEnvironmentVariable(name), Is.EqualTo("value"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Test]
    public void WithoutOptionsTheRegistrysDefaultsAreUsedAndGivenOptionsWin()
    {
        var defaults = new BackendOpenOptions { LoggerFactory = new Support.RecordingLoggerFactory(), TimeProvider = new Retry.ManualTimeProvider() };
        var seen = new List<BackendOpenOptions>();
        var registry = new BackendRegistry(() => defaults).Register("mem", (_, options) =>
        {
            seen.Add(options);
            return new InMemoryBackend();
        });
        var given = new BackendOpenOptions();

        registry.Open("mem://a");
        registry.Open("mem://b", given);

        Assert.That(seen, Is.EqualTo(new[] { defaults, given }));
        Assert.That(new BackendOpenOptions().LoggerFactory, Is.SameAs(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.That(new BackendOpenOptions().TimeProvider, Is.SameAs(TimeProvider.System));
        Assert.That(new BackendOpenOptions().HttpMessageHandlerFactory, Is.Null);
    }

    [Test]
    public void OpeningIsLoggedWithTheDisplayNameWithoutThePassword()
    {
        var log = new Support.RecordingLoggerFactory();
        var registry = new BackendRegistry().Register("mem", (url, _) => new InMemoryBackend(url.ToString()));

        registry.Open("mem://user:Secret-Pw@host/x", new BackendOpenOptions { LoggerFactory = log });

        Assert.That(log.EventIds, Is.EqualTo(new[] { Duplicity.Diagnostics.DuplicityEventIds.BackendOpened }));
        Assert.That(log.All.Single(), Does.Contain("mem://user").And.Not.Contain("Secret-Pw"));
    }
}
