using System.Net;
using Duplicity.Backends;
using Duplicity.Backends.Swift;

namespace Duplicity.Tests.Backends.Swift;

/// <summary>Reading the SWIFT_* variables and mapping HTTP statuses (no server needed).</summary>
[Category("Unit")]
public class SwiftSettingsTests
{
    private static SwiftAuthSettings Read(Dictionary<string, string?> env) =>
        SwiftAuthSettings.FromEnvironment(new BackendOpenOptions { Environment = env });

    [Test]
    public void ReadsTheVariablesDuplicityReads()
    {
        var settings = Read(new()
        {
            ["SWIFT_AUTHURL"] = "http://k:5000/v3", ["SWIFT_USERNAME"] = "u", ["SWIFT_PASSWORD"] = "p",
            ["SWIFT_AUTHVERSION"] = "3", ["SWIFT_TENANTNAME"] = "proj", ["SWIFT_USER_DOMAIN_ID"] = "ud",
            ["SWIFT_PROJECT_DOMAIN_NAME"] = "pd", ["SWIFT_REGIONNAME"] = "R2", ["SWIFT_ENDPOINT_TYPE"] = "internalURL",
        });
        Assert.That(settings.AuthVersion, Is.EqualTo(3));
        Assert.That(settings.ProjectName, Is.EqualTo("proj"));
        Assert.That(settings.UserDomainId, Is.EqualTo("ud"));
        Assert.That(settings.ProjectDomainName, Is.EqualTo("pd"));
        Assert.That(settings.RegionName, Is.EqualTo("R2"));
        Assert.That(settings.Interface, Is.EqualTo("internal"));
        Assert.That(settings.ToString(), Does.Not.Contain("p,").And.Not.Contain("Password"));
    }

    [Test]
    public void DefaultsToVersion1AndAcceptsAPreAuthenticatedUrlAlone()
    {
        Assert.That(Read(new() { ["SWIFT_AUTHURL"] = "http://s/auth/v1.0", ["SWIFT_USERNAME"] = "a:b", ["SWIFT_PASSWORD"] = "k" }).AuthVersion, Is.EqualTo(1));
        var pre = Read(new() { ["SWIFT_PREAUTHURL"] = "http://s/v1/AUTH_x", ["SWIFT_PREAUTHTOKEN"] = "t" });
        Assert.That(pre.HasCredentials, Is.False);
        Assert.That(pre.PreAuthUrl, Is.EqualTo(new Uri("http://s/v1/AUTH_x")));
    }

    [TestCase("4")]
    [TestCase("abc")]
    public void ABadAuthVersionIsRefused(string version)
    {
        var error = Assert.Throws<BackendException>(() => Read(new()
        {
            ["SWIFT_AUTHURL"] = "http://k", ["SWIFT_USERNAME"] = "u", ["SWIFT_PASSWORD"] = "p", ["SWIFT_AUTHVERSION"] = version,
        }));
        Assert.That(error!.Kind, Is.EqualTo(BackendErrorKind.Permanent));
    }

    [TestCase("http://k:5000", "http://k:5000/v3/auth/tokens")]
    [TestCase("http://k:5000/v3", "http://k:5000/v3/auth/tokens")]
    [TestCase("http://k:5000/v3/", "http://k:5000/v3/auth/tokens")]
    [TestCase("http://k:5000/identity/v3/auth/tokens", "http://k:5000/identity/v3/auth/tokens")]
    public void FindsTheV3TokenEndpoint(string authUrl, string expected)
    {
        Assert.That(SwiftAuthenticator.Endpoint(authUrl, "v3", "/auth/tokens").AbsoluteUri, Is.EqualTo(expected));
    }

    [TestCase(HttpStatusCode.NotFound, BackendErrorKind.NotFound)]
    [TestCase(HttpStatusCode.Unauthorized, BackendErrorKind.PermissionDenied)]
    [TestCase(HttpStatusCode.Forbidden, BackendErrorKind.PermissionDenied)]
    [TestCase(HttpStatusCode.InsufficientStorage, BackendErrorKind.NoSpace)]
    [TestCase(HttpStatusCode.RequestEntityTooLarge, BackendErrorKind.NoSpace)]
    [TestCase(HttpStatusCode.ServiceUnavailable, BackendErrorKind.Transient)]
    [TestCase(HttpStatusCode.InternalServerError, BackendErrorKind.Transient)]
    [TestCase(HttpStatusCode.TooManyRequests, BackendErrorKind.Transient)]
    [TestCase(HttpStatusCode.BadRequest, BackendErrorKind.Permanent)]
    [TestCase(HttpStatusCode.PreconditionFailed, BackendErrorKind.Permanent)]
    public void MapsStatuses(HttpStatusCode status, BackendErrorKind kind)
    {
        Assert.That(SwiftErrors.FromStatus(status, "op").Kind, Is.EqualTo(kind));
    }

    [Test]
    public void ObjectPathsEscapeEachSegment()
    {
        var url = SwiftObjectPath.Object(new Uri("http://s:8080/v1/AUTH_x"), "c d", "a/b?#%/n m");
        Assert.That(url.AbsoluteUri, Is.EqualTo("http://s:8080/v1/AUTH_x/c%20d/a/b%3F%23%25/n%20m"));
    }
}
