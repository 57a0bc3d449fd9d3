using System.Collections.Immutable;

namespace Cluster.Drift;

/// <summary>A feature as its reference saw it: bin edges at the reference's deciles, its counts in those bins, mean and variance.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.FeatureReference")]
public sealed record FeatureReference(ImmutableArray<double> Edges, ImmutableArray<long> Bins, double Mean, double Variance);
