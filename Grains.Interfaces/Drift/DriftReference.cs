using System.Collections.Immutable;
using Cluster.Statistics;

namespace Cluster.Drift;

/// <summary>What a version's inputs and outputs looked like when it was judged normal; current traffic is compared with it.</summary>
/// <param name="Epoch">Changes whenever the reference is replaced, so histograms binned by older edges are told apart.</param>
/// <param name="Source">How it was made: <c>first_requests</c> or <c>sample_set</c>.</param>
/// <param name="Rows">Rows it was built from.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Features">Per input feature (e.g. <c>x[2]</c>, or <c>x[c=1]</c> per image channel).</param>
/// <param name="Outputs">Per output, the distribution of the reference rows' outputs.</param>
[GenerateSerializer, Immutable, Alias("Cluster.DriftReference")]
public sealed record DriftReference(
    long Epoch,
    string Source,
    long Rows,
    DateTimeOffset CreatedAt,
    ImmutableDictionary<string, FeatureReference> Features,
    ImmutableDictionary<string, OutputDistribution> Outputs)
{
    /// <summary>The bin edges per feature, all a batch worker needs to count values.</summary>
    public DriftBinning Binning => new(Epoch, Features.ToImmutableDictionary(f => f.Key, f => f.Value.Edges, StringComparer.Ordinal));
}
