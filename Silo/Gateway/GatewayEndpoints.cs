using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cluster.Silo.Gateway;

/// <summary>
/// Kestrel's listeners: <c>Gateway:Urls</c> speak HTTP/1.1 and HTTP/2 (HTTP/2 needs TLS there,
/// where ALPN picks it), <c>Gateway:GrpcUrls</c> speak HTTP/2 only, so gRPC clients can use
/// cleartext with prior knowledge (Kestrel refuses that on mixed listeners).
/// </summary>
internal static class GatewayEndpoints
{
    public static void Listen(KestrelServerOptions kestrel, GatewaySettings gateway, X509Certificate2? certificate, bool serveGrpc)
    {
        foreach (var url in Split(gateway.Urls)) Listen(kestrel, url, HttpProtocols.Http1AndHttp2, certificate);
        if (!serveGrpc) return;
        foreach (var url in Split(gateway.GrpcUrls)) Listen(kestrel, url, HttpProtocols.Http2, certificate);
    }

    private static IEnumerable<string> Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, X509Certificate2? certificate)
    {
        // Hosts like "+" and "*" are not valid in a Uri; they mean every address, as "0.0.0.0" does.
        var uri = new Uri(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        var https = uri.Scheme == Uri.UriSchemeHttps;
        if (https && certificate is null) throw new InvalidOperationException($"{url} is HTTPS but Tls:CertificatePath is not set.");
        void Configure(ListenOptions listen)
        {
            // Without TLS there is no ALPN to choose HTTP/2, so a mixed listener would only speak HTTP/1.1 (and warn).
            listen.Protocols = !https && protocols == HttpProtocols.Http1AndHttp2 ? HttpProtocols.Http1 : protocols;
            if (https) listen.UseHttps(certificate!);
        }
        if (uri.Host is "0.0.0.0" or "[::]") kestrel.ListenAnyIP(uri.Port, Configure);
        else if (uri.Host == "localhost") kestrel.ListenLocalhost(uri.Port, Configure);
        else kestrel.Listen(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port, Configure);
    }
}
