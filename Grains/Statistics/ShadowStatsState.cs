namespace Cluster.Statistics;

/// <summary>Persistent state of a <see cref="ShadowStatsGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.ShadowStatsState")]
public sealed class ShadowStatsState
{
    /// <summary>Everything pushed since the state was created or reset.</summary>
    [Id(0)] public ShadowComparison Total { get; set; } = ShadowComparison.Empty;
}
