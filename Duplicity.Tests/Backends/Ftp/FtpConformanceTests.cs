using Duplicity.Backends;
using Duplicity.Backends.Ftp;

namespace Duplicity.Tests.Backends.Ftp;

/// <summary>The backend contract over plain FTP, passive mode, in a two-level folder the backend creates.</summary>
[Category("Server")]
[TestFixture]
public class FtpPlainConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await FtpTestServer.GetAsync("plain");
        return server.Open($"c{Guid.NewGuid():N}/sub");
    }
}

/// <summary>The backend contract over plain FTP in active mode (<c>--ftp-regular</c>: EPRT, the server connects back).</summary>
[Category("Server")]
[TestFixture]
public class FtpActiveConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await FtpTestServer.GetAsync("plain");
        return server.Open($"a{Guid.NewGuid():N}", server.Options(passive: false));
    }
}

/// <summary>
/// The backend contract over explicit FTPS (<c>ftpes://</c>: AUTH TLS, PBSZ 0, PROT P), with vsftpd requiring TLS
/// for login and data (require_ssl_reuse off: see scripts/servers/ftp/start.sh and the package README).
/// </summary>
[Category("Server")]
[TestFixture]
public class FtpExplicitTlsConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await FtpTestServer.GetAsync("explicit");
        return server.Open($"e{Guid.NewGuid():N}");
    }
}

/// <summary>The backend contract over implicit FTPS (<c>ftps://</c>, lftp's reading).</summary>
[Category("Server")]
[TestFixture]
public class FtpImplicitTlsConformanceTests : BackendConformanceTests
{
    protected override async Task<IBackend> CreateBackendAsync()
    {
        var server = await FtpTestServer.GetAsync("implicit");
        return server.Open($"i{Guid.NewGuid():N}/x/y");
    }
}
