using System.Collections.Immutable;

namespace Cluster.Drift;

/// <summary>
/// What a batch worker saw of a version's inputs since its last push: while the version has no
/// reference, a bounded sample of values per feature; once it has one, histograms over the
/// reference's bins (tagged with its epoch).
/// </summary>
/// <param name="Rows">Rows profiled.</param>
/// <param name="Epoch">Epoch of the reference the histograms were binned by; 0 for samples.</param>
/// <param name="Samples">Sampled values per feature (no reference yet).</param>
/// <param name="Histograms">Binned values per feature.</param>
[GenerateSerializer, Immutable, Alias("Cluster.InputProfile")]
public sealed record InputProfile(
    long Rows,
    long Epoch,
    ImmutableDictionary<string, ImmutableArray<double>> Samples,
    ImmutableDictionary<string, FeatureHistogram> Histograms)
{
    /// <summary>Nothing profiled.</summary>
    public static InputProfile Empty { get; } = new(0, 0, ImmutableDictionary<string, ImmutableArray<double>>.Empty, ImmutableDictionary<string, FeatureHistogram>.Empty);
}
