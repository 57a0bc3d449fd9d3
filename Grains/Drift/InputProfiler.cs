using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Drift;

/// <summary>
/// A batch worker's drift bookkeeping, filled once per batch: sampled values per feature while the
/// version has no reference, histograms over the reference's bins once the stats grain sent them.
/// Samples are capped per push (a uniform reservoir) so a reference under construction costs little memory and wire.
/// One owner (the batch worker activation).
/// </summary>
public sealed class InputProfiler
{
    private const int ValuesPerFeaturePerBatch = 256;
    // Small batches are the common case under light or uneven load; a per-row cap keeps profiling a request alone cheap.
    private const int ValuesPerFeaturePerRow = 16;
    private const int SamplesPerFeaturePerPush = 512;

    private readonly Dictionary<string, List<double>> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Accumulator> _histograms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private DriftBinning? _binning;
    private long _rows;

    /// <summary>Bins to count into from now on (null: sample for a reference).</summary>
    public void Use(DriftBinning? binning)
    {
        if (binning?.Epoch == _binning?.Epoch) return;
        _binning = binning;
        _samples.Clear();
        _histograms.Clear();
        _rows = 0;
    }

    /// <summary>Profiles a batch's inputs.</summary>
    public void Record(IReadOnlyList<TensorData> inputs, int rows)
    {
        _rows += rows;
        var budget = (int)Math.Min(ValuesPerFeaturePerBatch, (long)rows * ValuesPerFeaturePerRow);
        foreach (var input in inputs)
        {
            foreach (var (feature, values) in DriftFeatures.Sample(input, budget))
            {
                if (_binning is null)
                {
                    Keep(feature, values);
                }
                else if (_binning.Edges.TryGetValue(feature, out var edges))
                {
                    if (!_histograms.TryGetValue(feature, out var accumulator)) _histograms[feature] = accumulator = new Accumulator(edges.Length + 1);
                    accumulator.Add(edges, values);
                }
            }
        }
    }

    /// <summary>Reservoir sampling: every value seen since the last push has the same chance to be kept, however many came.</summary>
    private void Keep(string feature, double[] values)
    {
        if (!_samples.TryGetValue(feature, out var kept)) _samples[feature] = kept = [];
        var seen = _seen.GetValueOrDefault(feature);
        foreach (var value in values)
        {
            seen++;
            if (kept.Count < SamplesPerFeaturePerPush) kept.Add(value);
            else if (Random.Shared.NextInt64(seen) is var slot && slot < SamplesPerFeaturePerPush) kept[(int)slot] = value;
        }
        _seen[feature] = seen;
    }

    /// <summary>Everything since the last call, and starts over; null when nothing was profiled.</summary>
    public InputProfile? Take()
    {
        if (_rows == 0) return null;
        var profile = new InputProfile(
            _rows,
            _binning?.Epoch ?? 0,
            _samples.ToImmutableDictionary(s => s.Key, s => s.Value.ToImmutableArray(), StringComparer.Ordinal),
            _histograms.ToImmutableDictionary(h => h.Key, h => h.Value.ToHistogram(), StringComparer.Ordinal));
        _samples.Clear();
        _seen.Clear();
        _histograms.Clear();
        _rows = 0;
        return profile;
    }

    /// <summary>Running bin counts of one feature, turned into a <see cref="FeatureHistogram"/> once per push.</summary>
    private sealed class Accumulator(int bins)
    {
        private readonly long[] _bins = new long[bins];
        private long _count;
        private double _sum;
        private double _squares;

        public void Add(ImmutableArray<double> edges, double[] values)
        {
            foreach (var value in values)
            {
                if (!double.IsFinite(value)) continue;
                _bins[DriftMath.BinOf(edges, value)]++;
                _count++;
                _sum += value;
                _squares += value * value;
            }
        }

        public FeatureHistogram ToHistogram() => new(_count, _sum, _squares, [.. _bins]);
    }
}
