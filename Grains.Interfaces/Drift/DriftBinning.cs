using System.Collections.Immutable;

namespace Cluster.Drift;

/// <summary>The reference's bin edges per input feature, which batch workers count values into.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.DriftBinning")]
public sealed record DriftBinning(long Epoch, ImmutableDictionary<string, ImmutableArray<double>> Edges);
