using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Duplicity.Backends.Ftp;

/// <summary>The TLS settings of a backend's connections: the host name checked, the chain built on the system's
/// trust store or on <see cref="FtpBackendOptions.CaCertificateFile"/>'s authorities only.</summary>
internal static class FtpCertificateValidation
{
    public static SslClientAuthenticationOptions? Create(FtpLocation location, FtpBackendOptions options)
    {
        if (location.Security == FtpSecurity.None)
            return null;
        return new SslClientAuthenticationOptions
        {
            TargetHost = location.Host,
            RemoteCertificateValidationCallback = Callback(options),
        };
    }

    private static RemoteCertificateValidationCallback? Callback(FtpBackendOptions options)
    {
        if (options.SkipCertificateCheck)
            // --ssl-no-check-certificate: the user asked for no check.
#pragma warning disable CA5359
            return static (_, _, _, _) => true;
#pragma warning restore CA5359
        if (options.CaCertificateFile is null)
            return null;
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(options.CaCertificateFile);
        return (_, certificate, chain, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
                return false;
            if (errors == SslPolicyErrors.None)
                return true;
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            return certificate is X509Certificate2 c2 ? custom.Build(c2) : BuildCopy(custom, certificate);
        };
    }

    private static bool BuildCopy(X509Chain chain, X509Certificate certificate)
    {
        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(copy);
    }
}
