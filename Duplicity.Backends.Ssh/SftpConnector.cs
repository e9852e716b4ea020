using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Duplicity.Backends.Ssh;

/// <summary>
/// Opens an authenticated SFTP connection: the host key is checked against known_hosts (never accepted
/// blindly), then keys and the password are offered.
/// </summary>
internal static class SftpConnector
{
    public static async Task<SftpClient> ConnectAsync(SshTarget target, SshBackendOptions options, string displayName, ILogger logger,
        CancellationToken cancellationToken)
    {
        var knownHosts = LoadKnownHosts(target, displayName);
        var info = new ConnectionInfo(target.Host, target.Port, target.User, AuthenticationMethods(target, displayName))
        {
            Timeout = options.ConnectTimeout,
        };
        PreferKnownKeyTypes(info, knownHosts.KeyTypesFor(target.Host, target.Port));

        var client = new SftpClient(info) { OperationTimeout = options.OperationTimeout };
        KnownHosts.Verdict? verdict = null;
        string fingerprint = "";
        client.HostKeyReceived += (_, e) =>
        {
            verdict = knownHosts.Check(target.Host, target.Port, e.HostKey);
            fingerprint = $"{e.HostKeyName} SHA256:{e.FingerPrintSHA256}";
            e.CanTrust = verdict == KnownHosts.Verdict.Trusted;
        };
        SshLog.Connecting(logger, target.Host, target.Port, target.User);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            SshLog.Connected(logger, target.Host, target.Port, fingerprint);
            return client;
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectError(e))
        {
            client.Dispose();
            if (verdict is { } v && v != KnownHosts.Verdict.Trusted)
                throw HostKeyRefused(v, target, fingerprint, displayName, e);
            if (e is SshAuthenticationException)
            {
                throw new BackendException(BackendErrorKind.PermissionDenied,
                    BackendUrl.Redact($"Authentication as '{target.User}' failed on {displayName}: {e.Message}"), e);
            }
            throw SshErrorTranslator.Translate(e, "connect", displayName);
        }
    }

    private static KnownHosts LoadKnownHosts(SshTarget target, string displayName)
    {
        try
        {
            return KnownHosts.Load(target.KnownHostsFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException(BackendErrorKind.Permanent,
                $"Could not read the known-hosts file '{target.KnownHostsFile}' for {displayName}: {e.Message}", e);
        }
    }

    private static BackendException HostKeyRefused(KnownHosts.Verdict verdict, SshTarget target, string fingerprint, string displayName, Exception inner)
    {
        var host = KnownHosts.HostKeyName(target.Host, target.Port);
        var reason = verdict switch
        {
            KnownHosts.Verdict.UnknownHost =>
                $"Host key verification failed: '{host}' is not in the known-hosts file '{target.KnownHostsFile}' (server key {fingerprint}). " +
                $"Add it, e.g. with: ssh-keyscan -p {target.Port} {target.Host} >> {target.KnownHostsFile}",
            KnownHosts.Verdict.KeyChanged =>
                $"Host key verification failed: the host key of '{host}' does not match the one in '{target.KnownHostsFile}' " +
                $"(server key {fingerprint}). It may have been changed, or someone may be intercepting the connection.",
            _ => $"Host key verification failed: the host key of '{host}' ({fingerprint}) is marked as revoked.",
        };
        return new BackendException(BackendErrorKind.Permanent, $"{reason} ({displayName})", inner);
    }

    // Like OpenSSH, ask for the host key types we can verify, so a listed RSA key is not missed because
    // the server would have preferred ed25519.
    private static void PreferKnownKeyTypes(ConnectionInfo info, HashSet<string> knownTypes)
    {
        if (knownTypes.Count == 0)
            return;
        var unusable = info.HostKeyAlgorithms.Keys.Where(algorithm => !knownTypes.Contains(KeyTypeOf(algorithm))).ToList();
        if (unusable.Count == info.HostKeyAlgorithms.Count)
            return;
        foreach (var algorithm in unusable)
            info.HostKeyAlgorithms.Remove(algorithm);
    }

    private static string KeyTypeOf(string algorithm) => algorithm is "rsa-sha2-256" or "rsa-sha2-512" ? "ssh-rsa" : algorithm;

    private static AuthenticationMethod[] AuthenticationMethods(SshTarget target, string displayName)
    {
        var methods = new List<AuthenticationMethod>();
        var keys = LoadKeys(target, displayName);
        if (keys.Count > 0)
            methods.Add(new PrivateKeyAuthenticationMethod(target.User, [.. keys]));
        if (target.Password is not null)
        {
            methods.Add(new PasswordAuthenticationMethod(target.User, target.Password));
            var interactive = new KeyboardInteractiveAuthenticationMethod(target.User);
            var password = target.Password;
            interactive.AuthenticationPrompt += (_, e) =>
            {
                foreach (var prompt in e.Prompts)
                    prompt.Response = password;
            };
            methods.Add(interactive);
        }
        if (methods.Count == 0)
        {
            throw new BackendException(BackendErrorKind.PermissionDenied,
                $"No credentials for {displayName}: no private key found (~/.ssh/id_ed25519, id_rsa, id_ecdsa or -oIdentityFile=) " +
                "and no password (in the URL or FTP_PASSWORD).");
        }
        return [.. methods];
    }

    private static List<IPrivateKeySource> LoadKeys(SshTarget target, string displayName)
    {
        var keys = new List<IPrivateKeySource>();
        foreach (var file in target.ExplicitIdentityFiles)
        {
            // A key the user named must work; a broken default key is skipped, as ssh does.
            keys.Add(LoadKey(file, target.Password, displayName) ?? throw new BackendException(BackendErrorKind.Permanent,
                $"Could not read the private key '{file}' for {displayName}."));
        }
        foreach (var file in target.DefaultIdentityFiles)
        {
            if (File.Exists(file) && LoadKey(file, target.Password, displayName) is { } key)
                keys.Add(key);
        }
        return keys;
    }

    private static PrivateKeyFile? LoadKey(string file, string? passphrase, string displayName)
    {
        try
        {
            return new PrivateKeyFile(file);
        }
        catch (SshPassPhraseNullOrEmptyException) when (passphrase is not null)
        {
            try
            {
                return new PrivateKeyFile(file, passphrase);
            }
            catch (SshException e)
            {
                throw new BackendException(BackendErrorKind.PermissionDenied,
                    $"Could not unlock the private key '{file}' for {displayName} with the given password: {e.Message}", e);
            }
        }
        catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            return null;
        }
    }
}
