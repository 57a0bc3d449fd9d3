namespace Cluster.Cost;

/// <summary>What a version's usage grain keeps: per-minute usage of each silo and device class for the last 7 days.</summary>
[GenerateSerializer, Alias("Cluster.UsageState")]
public sealed class UsageState
{
    /// <summary>Buckets ordered by minute, at most one per minute, silo and device class.</summary>
    [Id(0)] public List<UsageBucket> Buckets { get; set; } = [];
}
