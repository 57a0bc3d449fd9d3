using Cluster.Drift;

namespace Cluster.Statistics;

/// <summary>Persistent state of a stats grain: totals, per-minute deltas of the last hour, the drift reference (or what is collected toward it) and alerts.</summary>
[GenerateSerializer, Alias("Cluster.ModelStatsState")]
public sealed class ModelStatsState
{
    /// <summary>Everything pushed since the state was created.</summary>
    [Id(0)] public StatsDelta Total { get; set; } = StatsDelta.Empty;

    /// <summary>Per-minute deltas, oldest first, keyed by minutes since the Unix epoch.</summary>
    [Id(1)] public List<(long Minute, StatsDelta Delta)> Minutes { get; set; } = [];

    /// <summary>The drift reference; null while it is being collected.</summary>
    [Id(2)] public DriftReference? Reference { get; set; }

    /// <summary>Sampled input values per feature, collected toward a reference.</summary>
    [Id(3)] public Dictionary<string, List<double>> Collecting { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Rows profiled toward the reference.</summary>
    [Id(4)] public long CollectedRows { get; set; }

    /// <summary>Output distributions of the rows collected toward the reference.</summary>
    [Id(5)] public Dictionary<string, OutputDistribution> CollectingOutputs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Active alerts and the last cleared ones.</summary>
    [Id(6)] public List<ModelAlert> Alerts { get; set; } = [];
}
