namespace Cluster.Cli.Loadtest;

/// <summary>What one load level measured: client-side counts and latency percentiles, and the server's mean queue and compute time (null when unavailable).</summary>
public sealed record LevelResult(
    LoadLevel Level,
    long Requests,
    long Failures,
    double Seconds,
    double ThroughputPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double? ServerQueueMs,
    double? ServerComputeMs,
    string? FirstError);
