using Cluster.Statistics;

namespace Cluster.Statistics;

/// <summary>Persistent state of a stats grain: the total and one merged delta per minute of the last hour.</summary>
[GenerateSerializer, Alias("Cluster.ModelStatsState")]
public sealed class ModelStatsState
{
    /// <summary>Everything pushed since the state was created.</summary>
    [Id(0)] public StatsDelta Total { get; set; } = StatsDelta.Empty;

    /// <summary>Per-minute deltas, oldest first, keyed by minutes since the Unix epoch.</summary>
    [Id(1)] public List<(long Minute, StatsDelta Delta)> Minutes { get; set; } = [];
}
