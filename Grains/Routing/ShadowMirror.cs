using System.Collections.Immutable;
using Cluster.Statistics;
using Cluster.Tensors;

namespace Cluster.Routing;

/// <summary>
/// A router's bookkeeping of shadow copies: bounds how many are in flight (a slow shadow sheds
/// copies rather than piling up memory) and accumulates comparisons per shadow version until the
/// router hands them to the shadow statistics grains. One owner (the router activation).
/// </summary>
public sealed class ShadowMirror
{
    /// <summary>Copies in flight per router activation beyond which new ones are skipped.</summary>
    public const int MaxInFlight = 32;

    private readonly Dictionary<string, Accumulator> _byVersion = new(StringComparer.Ordinal);
    private int _inFlight;

    /// <summary>Reserves a slot for a copy to <paramref name="version"/>; false (and counted as skipped) when none is free.</summary>
    public bool TryBegin(string version)
    {
        if (_inFlight >= MaxInFlight)
        {
            Of(version).Skipped++;
            return false;
        }
        _inFlight++;
        Of(version).Mirrored++;
        return true;
    }

    /// <summary>Records a copy that answered.</summary>
    public void Succeeded(string version, TimeSpan latency, IReadOnlyList<TensorData> primary, IReadOnlyList<TensorData> shadow)
    {
        _inFlight--;
        var accumulator = Of(version);
        accumulator.Latency.Record(latency);
        foreach (var (name, difference) in OutputComparer.Compare(primary, shadow))
        {
            accumulator.Outputs[name] = accumulator.Outputs.TryGetValue(name, out var seen) ? seen.Merge(difference) : difference;
        }
    }

    /// <summary>Records a copy that failed.</summary>
    public void Failed(string version)
    {
        _inFlight--;
        Of(version).Failed++;
    }

    /// <summary>What each shadow saw since the last call, and starts over.</summary>
    public List<(string Version, ShadowComparison Delta)> TakeDeltas()
    {
        var deltas = new List<(string, ShadowComparison)>();
        foreach (var (version, accumulator) in _byVersion)
        {
            if (accumulator.Mirrored == 0 && accumulator.Skipped == 0 && accumulator.Failed == 0 && accumulator.Latency.Count == 0) continue;
            deltas.Add((version, new ShadowComparison(accumulator.Mirrored, accumulator.Failed, accumulator.Skipped,
                accumulator.Latency.TakeSnapshot(), accumulator.Outputs.ToImmutableDictionary(StringComparer.Ordinal))));
            accumulator.Mirrored = accumulator.Failed = accumulator.Skipped = 0;
            accumulator.Outputs.Clear();
        }
        return deltas;
    }

    private Accumulator Of(string version)
    {
        if (!_byVersion.TryGetValue(version, out var accumulator)) _byVersion[version] = accumulator = new Accumulator();
        return accumulator;
    }

    private sealed class Accumulator
    {
        public long Mirrored;
        public long Failed;
        public long Skipped;
        public readonly LatencyRecorder Latency = new();
        public readonly Dictionary<string, OutputDifference> Outputs = new(StringComparer.Ordinal);
    }
}
