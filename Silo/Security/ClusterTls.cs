using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Cluster.Silo.Security;

/// <summary>Mutual TLS on Orleans connections (silo to silo, client to silo) with the configured certificate.</summary>
internal static class ClusterTls
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder orleans, TlsSettings tls, X509Certificate2? certificate)
    {
        if (certificate is null) throw new InvalidOperationException("Tls:Cluster needs Tls:CertificatePath (a PKCS#12 file with the private key).");
        return orleans.UseTls(certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            if (tls.AllowUntrustedPeers) options.AllowAnyRemoteCertificate();
            // Silos dial each other by address, so the name to check is the certificate's own.
            options.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        });
    }
}
