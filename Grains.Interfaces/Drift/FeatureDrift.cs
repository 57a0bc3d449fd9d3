namespace Cluster.Drift;

/// <summary>How far one feature (or output) moved from the reference in a window.</summary>
/// <param name="Name">Feature name, e.g. <c>x[2]</c>, or output name.</param>
/// <param name="Rows">Values (features) or rows (outputs) in the window.</param>
/// <param name="Psi">Population stability index against the reference (below 0.1 no real shift, above 0.25 major).</param>
/// <param name="Ks">Kolmogorov–Smirnov statistic: the largest gap between the two cumulative distributions at the reference's bin edges (0–1).</param>
/// <param name="Mean">Mean in the window (features only).</param>
/// <param name="ReferenceMean">Mean in the reference (features only).</param>
[GenerateSerializer, Immutable, Alias("Cluster.FeatureDrift")]
public sealed record FeatureDrift(string Name, long Rows, double Psi, double Ks, double? Mean, double? ReferenceMean);
