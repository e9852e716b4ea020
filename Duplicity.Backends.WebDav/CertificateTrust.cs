using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Duplicity.Backends.WebDav;

/// <summary>
/// The CA certificates of <c>--ssl-cacert-file</c> / <c>--ssl-cacert-path</c> and the check of a server certificate
/// against them alone, as duplicity's ssl context does when given a CA file or folder. The host name is always checked.
/// </summary>
internal static class CertificateTrust
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The CAs to trust, or null when neither option is given (the system's CAs apply).</summary>
    public static X509Certificate2Collection? Load(WebDavBackendOptions options)
    {
        if (options.CaCertificateFile is null && options.CaCertificatePath is null)
            return null;
        var roots = new X509Certificate2Collection();
        if (options.CaCertificateFile is { } file)
        {
            if (!File.Exists(file))
                throw new BackendException(BackendErrorKind.Permanent, $"Cacert database file '{file}' is not readable.");
            if (!TryAdd(roots, file))
                throw new BackendException(BackendErrorKind.Permanent, $"Cacert database file '{file}' holds no certificate.");
        }
        if (options.CaCertificatePath is { } folder)
        {
            if (!Directory.Exists(folder))
                throw new BackendException(BackendErrorKind.Permanent, $"Cacert folder '{folder}' is not readable.");
            var found = false;
            foreach (var path in Directory.EnumerateFiles(folder))
                found |= TryAdd(roots, path);
            if (!found)
                throw new BackendException(BackendErrorKind.Permanent, $"Cacert folder '{folder}' holds no certificate.");
        }
        return roots;
    }

    private static bool TryAdd(X509Certificate2Collection roots, string path)
    {
        var before = roots.Count;
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (CryptographicException)
        {
            // not PEM: perhaps one DER certificate
        }
        catch (IOException e)
        {
            throw new BackendException(BackendErrorKind.Permanent, $"Cacert file '{path}' is not readable: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BackendException(BackendErrorKind.Permanent, $"Cacert file '{path}' is not readable: {e.Message}", e);
        }
        if (roots.Count == before)
        {
            try
            {
                roots.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
            catch (CryptographicException)
            {
                // neither PEM nor DER: not a certificate (a folder may hold other files)
            }
        }
        return roots.Count > before;
    }

    /// <summary>Accepts exactly the certificates that name the host and chain to one of <paramref name="roots"/>.</summary>
    public static RemoteCertificateValidationCallback Validator(X509Certificate2Collection roots) =>
        (_, certificate, presented, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
            // Intermediates the server sent along.
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
}
