using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Duplicity.Backends.S3;

/// <summary>
/// Finds the credentials and region as the AWS SDK (and so duplicity's boto3) would, but reading the
/// environment from <see cref="BackendOpenOptions.Environment"/> instead of the process: URL user:password,
/// then <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>(/<c>AWS_SESSION_TOKEN</c>), then the profile
/// <c>AWS_PROFILE</c> (or <c>default</c>) of <c>~/.aws/credentials</c> and <c>~/.aws/config</c>.
/// When none applies, the SDK's own chain (instance roles, SSO, ...) resolves them at the first request.
/// </summary>
internal static class S3Credentials
{
    /// <summary>The credentials (null = leave it to the SDK's default chain) and a region if one is configured.</summary>
    public static (AWSCredentials? Credentials, string? Region) Resolve(BackendUrl url, BackendOpenOptions open)
    {
        var region = open.GetEnvironmentVariable("AWS_REGION") ?? open.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (url.UserName is { } user && url.Password is { } password)
            return (new BasicAWSCredentials(user, password), region);

        var keyId = open.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = open.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (keyId is not null && secret is not null)
        {
            var token = open.GetEnvironmentVariable("AWS_SESSION_TOKEN");
            return (token is null ? new BasicAWSCredentials(keyId, secret) : new SessionAWSCredentials(keyId, secret, token), region);
        }

        var profileName = open.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
        var file = OpenSharedFile(open);
        if (file is not null && file.TryGetProfile(profileName, out var profile))
        {
            region ??= profile.Region?.SystemName;
            if (AWSCredentialsFactory.TryGetAWSCredentials(profile, file, out var fromProfile))
                return (fromProfile, region);
        }
        else if (open.GetEnvironmentVariable("AWS_PROFILE") is not null)
        {
            throw new BackendException(BackendErrorKind.PermissionDenied,
                $"AWS profile '{profileName}' was not found in the shared credentials or config file.");
        }
        return (null, region);
    }

    private static SharedCredentialsFile? OpenSharedFile(BackendOpenOptions open)
    {
        var home = open.GetEnvironmentVariable("HOME") ?? open.GetEnvironmentVariable("USERPROFILE");
        var credentialsPath = open.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE")
            ?? (home is null ? null : Path.Combine(home, ".aws", "credentials"));
        var configPath = open.GetEnvironmentVariable("AWS_CONFIG_FILE")
            ?? (home is null ? null : Path.Combine(home, ".aws", "config"));
        bool hasCredentials = credentialsPath is not null && File.Exists(credentialsPath);
        bool hasConfig = configPath is not null && File.Exists(configPath);
        if (!hasCredentials && !hasConfig)
            return null;
        // The SDK reads the config file that sits next to the credentials file (a config file elsewhere
        // is only seen through the process's AWS_CONFIG_FILE).
        var file = new SharedCredentialsFile(hasCredentials
            ? credentialsPath!
            : Path.Combine(Path.GetDirectoryName(configPath!)!, "credentials"));
        return file;
    }
}
