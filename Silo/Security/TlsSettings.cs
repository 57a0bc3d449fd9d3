namespace Cluster.Silo.Security;

/// <summary>
/// TLS (configuration section <c>Tls</c>): a PKCS#12 certificate that the HTTP gateway serves
/// HTTPS with (for <c>https://</c> URLs in <c>Gateway:Urls</c>) and, with <see cref="Cluster"/>,
/// that silos use for mutual TLS between themselves and with .NET clients.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Tls";

    /// <summary>Path of the .pfx/.p12 file holding the certificate and its private key; unset: no TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of that file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Also secure silo-to-silo and client-to-silo connections (mutual TLS: peers present certificates too).</summary>
    public bool Cluster { get; set; }

    /// <summary>
    /// Accept peer certificates that do not chain to a trusted root (self-signed ones, as in tests);
    /// otherwise a peer must present a certificate the machine trusts.
    /// </summary>
    public bool AllowUntrustedPeers { get; set; }

    /// <summary>The certificate, or null when none is configured.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Load() =>
        string.IsNullOrEmpty(CertificatePath)
            ? null
            : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
}
