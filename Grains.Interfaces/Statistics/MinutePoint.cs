namespace Cluster.Statistics;

/// <summary>One calendar minute of a version's requests, as the status page's history charts draw it.</summary>
/// <param name="Minute">Start of the minute (UTC).</param>
/// <param name="Requests">Requests answered in the minute (with outputs or an error).</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="P50Ms">Median latency in the batch worker (queue + compute), in milliseconds; 0 without requests.</param>
/// <param name="P99Ms">99th percentile latency, in milliseconds; 0 without requests.</param>
/// <param name="DriftScore">
/// The drift score (largest PSI) of the minute's inputs and outputs against the version's reference; null without a reference
/// or without profiled rows in the minute (a silo of an older build also sends null).
/// </param>
[GenerateSerializer, Immutable, Alias("Cluster.MinutePoint")]
public sealed record MinutePoint(DateTimeOffset Minute, long Requests, long Errors, double P50Ms, double P99Ms, double? DriftScore = null);
