using System.Collections.Immutable;
using Cluster.Statistics;

namespace Cluster.Drift;

/// <summary>Compares a window of a version's statistics with its reference, feature by feature and output by output.</summary>
public static class DriftReporter
{
    /// <summary>The drift of <paramref name="window"/> against <paramref name="reference"/> (an empty report without one).</summary>
    public static DriftReport Report(DriftReference? reference, long collectedRows, StatsDelta window)
    {
        if (reference is null) return new DriftReport(null, collectedRows, 0, [], []);
        var features = ImmutableArray.CreateBuilder<FeatureDrift>();
        if (window.Inputs is { } inputs && inputs.Epoch == reference.Epoch)
        {
            foreach (var (name, expected) in reference.Features.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (!inputs.Histograms.TryGetValue(name, out var actual) || actual.Count == 0) continue;
                features.Add(new FeatureDrift(name, actual.Count, DriftMath.Psi(actual.Bins, expected.Bins), DriftMath.Ks(actual.Bins, expected.Bins), actual.Mean, expected.Mean));
            }
        }
        var outputs = ImmutableArray.CreateBuilder<FeatureDrift>();
        foreach (var (name, expected) in reference.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (window.Outputs?.GetValueOrDefault(name) is not { Rows: > 0 } actual || expected.Rows == 0) continue;
            var bins = actual.Bins.Keys.Union(expected.Bins.Keys).Order().ToArray();
            var actualCounts = bins.Select(b => actual.Bins.GetValueOrDefault(b)).ToArray();
            var expectedCounts = bins.Select(b => expected.Bins.GetValueOrDefault(b)).ToArray();
            outputs.Add(new FeatureDrift(name, actual.Rows, DriftMath.Psi(actual, expected), DriftMath.Ks(actualCounts, expectedCounts), null, null));
        }
        var score = features.Concat(outputs).Select(f => f.Psi).DefaultIfEmpty(0).Max();
        return new DriftReport(reference, collectedRows, score, features.ToImmutable(), outputs.ToImmutable());
    }
}
