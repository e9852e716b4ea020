using Duplicity.Backends;

namespace Duplicity.Tests.Backends.WebDav;

/// <summary>The backend contract over webdav:// (HTTP, Basic auth), in a nested folder created on first upload.</summary>
[Category("Server")]
[TestFixture]
public class WebDavHttpConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await WebDavTestServer.GetAsync();
        return server.Open(WebDavTestServer.FreshPath() + "/some/nested");
    }
}

/// <summary>The backend contract over webdavs:// (HTTPS with the test CA given as --ssl-cacert-file, Basic auth).</summary>
[Category("Server")]
[TestFixture]
public class WebDavHttpsConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await WebDavTestServer.GetAsync();
        return server.Open(WebDavTestServer.FreshPath(), secure: true);
    }
}

/// <summary>The backend contract over webdav:// with Digest auth (mod_auth_digest).</summary>
[Category("Server")]
[TestFixture]
public class WebDavDigestConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await WebDavTestServer.GetAsync();
        return server.Open(WebDavTestServer.FreshPath("digest"));
    }
}
