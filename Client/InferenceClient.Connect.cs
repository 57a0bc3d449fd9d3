using Cluster.Client.Remote;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Connects from outside the cluster through the HTTP gateway at <paramref name="gateway"/> (e.g.
    /// <c>https://gateway:8080</c>): inference over v2 gRPC (by default on the next port), everything else over the HTTP API,
    /// with <paramref name="apiKey"/> on every call. The client is safe for concurrent use; keep one per application.
    /// </summary>
    /// <exception cref="HttpRequestException">Nothing answers at <paramref name="gateway"/>, or it is no Cluster gateway.</exception>
    public static async Task<InferenceClient> ConnectAsync(Uri gateway, string? apiKey, GatewayClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new InferenceClient(await GatewayConnection.Open(gateway, apiKey, options ?? new GatewayClientOptions(), cancellationToken));
    }

    /// <summary>Connects inside the cluster as an Orleans client; with no options, to the embedded default on this machine.</summary>
    public static async Task<InferenceClient> ConnectAsync(InferenceClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InferenceClientOptions();
        // No default configuration sources: a library must not pick up the host application's appsettings.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(options.LogLevel);
        builder.UseOrleansClient(client =>
        {
            if (options.PostgresConnectionString is { } connectionString)
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering([.. options.GatewayPorts], options.ServiceId, options.ClusterId);
            }
            // The calling application's current span travels with each call, so its trace continues through the cluster.
            client.AddActivityPropagation();
            client.Configure<ClientMessagingOptions>(o =>
            {
                o.ResponseTimeout = options.ResponseTimeout;
                o.CancelRequestOnTimeout = true;
            });
            client.UseConnectionRetryFilter(ConnectRetry(options.ConnectTimeout, options.TimeProvider));
            if (options.TlsCertificatePath is { } path)
            {
                var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, options.TlsCertificatePassword);
                client.UseTls(certificate, tls =>
                {
                    if (options.TlsAllowUntrustedServer) tls.AllowAnyRemoteCertificate();
                    tls.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = options.TlsServerName ?? certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
                });
            }
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new InferenceClient(host);
    }

    private static Func<Exception, CancellationToken, Task<bool>> ConnectRetry(TimeSpan timeout, TimeProvider time)
    {
        var started = time.GetTimestamp();
        return async (_, cancellationToken) =>
        {
            if (time.GetElapsedTime(started) >= timeout) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            return true;
        };
    }
}
