namespace Cluster.Client;

/// <summary>Where the cluster is and how long to keep trying to reach it.</summary>
public sealed class InferenceClientOptions
{
    /// <summary>Gateway ports of silos on this machine (localhost clustering); the embedded default listens on 30000.</summary>
    public IReadOnlyList<int> GatewayPorts { get; set; } = [ClusterDefaults.GatewayPort];

    /// <summary>
    /// Cluster mode: the PostgreSQL connection string the silos use; the client then finds the
    /// gateways in the membership table and <see cref="GatewayPorts"/> is ignored.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Orleans cluster id; must match the silos.</summary>
    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    /// <summary>Orleans service id; must match the silos.</summary>
    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;

    /// <summary>How long <see cref="InferenceClient.ConnectAsync(InferenceClientOptions?, CancellationToken)"/> retries before giving up.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock <see cref="ConnectTimeout"/> and the pauses between connection attempts are measured on; the system clock unless a test gives another.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lowest level the client's own (Orleans) log lines are written to the console at.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    /// <summary>How long one call may take before it fails with a timeout.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PKCS#12 file with the client's certificate and key, for a cluster that runs mutual TLS (<c>Tls:Cluster</c>); unset: plain connections.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>The name silo certificates must carry; unset: the name of the client's own certificate (one certificate for the whole cluster).</summary>
    public string? TlsServerName { get; set; }

    /// <summary>Accept silo certificates that do not chain to a trusted root (self-signed ones, as in tests).</summary>
    public bool TlsAllowUntrustedServer { get; set; }
}
