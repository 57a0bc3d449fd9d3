using System.Collections.Immutable;

namespace Cluster.Cost;

/// <summary>A version's utilization and estimated cost over a window, at the configured prices.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Device">Device class most of its replica time ran on: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Replicas">Replicas serving now.</param>
/// <param name="Usage">Sums over the window, merged across silos.</param>
/// <param name="ComputeSecondsPer1k">Busy seconds per 1,000 predictions (rows); null without any.</param>
/// <param name="EstimatedCost">Replica-hours times their device's price, plus GiB-hours times the memory price.</param>
/// <param name="CostPer1kPredictions">Estimated cost per 1,000 predictions (rows); null without any.</param>
/// <param name="Silos">Sums per silo and device class.</param>
[GenerateSerializer, Immutable, Alias("Cluster.VersionCost")]
public sealed record VersionCost(
    string Model,
    string Version,
    string Device,
    int Replicas,
    UsageFigures Usage,
    double? ComputeSecondsPer1k,
    double EstimatedCost,
    double? CostPer1kPredictions,
    ImmutableArray<SiloUsage> Silos);
