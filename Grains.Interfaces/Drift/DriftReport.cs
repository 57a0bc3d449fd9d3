using System.Collections.Immutable;

namespace Cluster.Drift;

/// <summary>A version's drift over a window.</summary>
/// <param name="Reference">The reference, or null while it is still being collected.</param>
/// <param name="CollectedRows">Rows profiled toward a reference not yet complete.</param>
/// <param name="Score">Largest PSI over features and outputs; 0 without a reference or data.</param>
/// <param name="Features">Per input feature.</param>
/// <param name="Outputs">Per output.</param>
[GenerateSerializer, Immutable, Alias("Cluster.DriftReport")]
public sealed record DriftReport(DriftReference? Reference, long CollectedRows, double Score, ImmutableArray<FeatureDrift> Features, ImmutableArray<FeatureDrift> Outputs);
