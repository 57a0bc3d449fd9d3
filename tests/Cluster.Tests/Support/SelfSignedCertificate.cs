using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.Tests.Support;

/// <summary>A throwaway self-signed certificate written as a PKCS#12 file, for TLS tests.</summary>
public sealed class SelfSignedCertificate : IDisposable
{
    public const string Password = "test-only";

    public SelfSignedCertificate(string name = "localhost")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cluster-tls-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(Path, Certificate.Export(X509ContentType.Pkcs12, Password));
    }

    public X509Certificate2 Certificate { get; }

    public string Path { get; }

    public void Dispose()
    {
        Certificate.Dispose();
        File.Delete(Path);
    }
}
