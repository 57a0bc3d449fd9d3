using System.Collections.Immutable;
using Cluster.Statistics;

namespace Cluster.Drift;

/// <summary>
/// Gathers the first rows a version serves into a drift reference: sampled input values per feature
/// (capped, so state stays small) and the outputs' distributions, until enough rows were seen.
/// </summary>
public static class ReferenceCollector
{
    /// <summary>Most sampled values kept per feature while collecting.</summary>
    public const int MaxValuesPerFeature = 4096;

    /// <summary>Adds a push's samples and outputs to what is being collected.</summary>
    public static void Collect(ModelStatsState state, InputProfile profile, ImmutableDictionary<string, OutputDistribution>? outputs)
    {
        foreach (var (feature, values) in profile.Samples)
        {
            if (!state.Collecting.TryGetValue(feature, out var kept)) state.Collecting[feature] = kept = [];
            if (kept.Count < MaxValuesPerFeature) kept.AddRange(values.Take(MaxValuesPerFeature - kept.Count));
        }
        state.CollectedRows += profile.Rows;
        foreach (var (name, distribution) in outputs ?? [])
        {
            state.CollectingOutputs[name] = state.CollectingOutputs.TryGetValue(name, out var seen) ? seen.Merge(distribution) : distribution;
        }
    }

    /// <summary>A reference from sampled values and output distributions.</summary>
    public static DriftReference Build(
        string source,
        long rows,
        DateTimeOffset now,
        IReadOnlyDictionary<string, List<double>> samples,
        IReadOnlyDictionary<string, OutputDistribution> outputs) => new(
            Epoch: now.UtcTicks,
            source,
            rows,
            now,
            samples.Where(s => s.Value.Count > 0).ToImmutableDictionary(s => s.Key, s => DriftMath.Reference(s.Value), StringComparer.Ordinal),
            outputs.ToImmutableDictionary(StringComparer.Ordinal));
}
