namespace Cluster.Client;

/// <summary>
/// How a client outside the cluster reaches the HTTP gateway: see
/// <see cref="InferenceClient.ConnectAsync(Uri, string?, GatewayClientOptions?, CancellationToken)"/>.
/// </summary>
public sealed class GatewayClientOptions
{
    /// <summary>
    /// The gateway's v2 gRPC address, which inference goes to. Null: the HTTP address's scheme and host on
    /// the port after its own (8080 → 8081, as the silo's defaults are).
    /// </summary>
    public Uri? GrpcUrl { get; set; }

    /// <summary>How often a call refused with 429 (queue or rate limit) or 503 (not ready, a silo gone) is tried again; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The longest wait before one retry. A server asking for longer (Retry-After) gets no retry: the
    /// error is thrown at once, so a caller never blocks for longer than it agreed to.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The deadline of each call, the server's work included (an inference's own timeout only bounds its queue wait).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Accepts any server certificate, e.g. a test gateway's self-signed one. Never in production.</summary>
    public bool AllowUntrustedServer { get; set; }

    /// <summary>Clock for retry waits and deadlines.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
