using System.Collections.Immutable;

namespace Cluster.Cost;

/// <summary>What a version used over a window, merged across silos, and broken down by silo and device class.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Total">Sums over every silo.</param>
/// <param name="Silos">Sums per silo and device class, by silo then device.</param>
[GenerateSerializer, Immutable, Alias("Cluster.VersionUsage")]
public sealed record VersionUsage(string Model, string Version, UsageFigures Total, ImmutableArray<SiloUsage> Silos);
