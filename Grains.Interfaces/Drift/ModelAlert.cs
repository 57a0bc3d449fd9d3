namespace Cluster.Drift;

/// <summary>A threshold a version crossed.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Kind"><c>drift_score</c>, <c>p99_latency_ms</c> or <c>error_rate</c>.</param>
/// <param name="Threshold">The configured limit.</param>
/// <param name="Value">The value that raised it, then the latest while it is active, then the one that cleared it.</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="ClearedAt">When it cleared (the value fell below 80 % of the threshold); null while active.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ModelAlert")]
public sealed record ModelAlert(string Model, string Version, string Kind, double Threshold, double Value, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt)
{
    /// <summary>True until it clears.</summary>
    public bool IsActive => ClearedAt is null;
}
