using System.Collections.Immutable;

namespace Cluster.Statistics;

/// <summary>What a batch worker saw for one version since its last push (or a window's total): counts, latency histograms and output distributions.</summary>
/// <param name="Success">Requests answered with outputs.</param>
/// <param name="Failure">Requests answered with an error after they were accepted.</param>
/// <param name="Rows">Rows computed.</param>
/// <param name="Batches">Batches run.</param>
/// <param name="Request">End-to-end latency in the worker (queue + compute) of successful requests.</param>
/// <param name="Queue">Time requests waited before their batch was sent.</param>
/// <param name="Compute">Time ONNX Runtime spent per batch.</param>
/// <param name="Outputs">Per output name, how the computed rows spread (argmax class or value bucket); null when none was profiled.</param>
/// <param name="Inputs">What the inputs looked like, for drift: samples before the version has a reference, histograms over its bins after; null when not profiled.</param>
[GenerateSerializer, Immutable, Alias("Cluster.StatsDelta")]
public sealed record StatsDelta(
    long Success,
    long Failure,
    long Rows,
    long Batches,
    LatencyHistogram Request,
    LatencyHistogram Queue,
    LatencyHistogram Compute,
    ImmutableDictionary<string, OutputDistribution>? Outputs = null,
    Drift.InputProfile? Inputs = null)
{
    /// <summary>Nothing seen.</summary>
    public static StatsDelta Empty { get; } = new(0, 0, 0, 0, LatencyHistogram.Empty, LatencyHistogram.Empty, LatencyHistogram.Empty);

    /// <summary>True when nothing was seen.</summary>
    public bool IsEmpty => Success == 0 && Failure == 0 && Batches == 0;

    /// <summary>Requests answered, with outputs or an error.</summary>
    public long Requests => Success + Failure;

    /// <summary>Failures over requests answered; 0 when none was.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Failure / Requests;

    /// <summary>The sum of two deltas.</summary>
    public StatsDelta Merge(StatsDelta other) => new(
        Success + other.Success, Failure + other.Failure, Rows + other.Rows, Batches + other.Batches,
        Request.Merge(other.Request), Queue.Merge(other.Queue), Compute.Merge(other.Compute),
        Combine(Outputs, other.Outputs, (mine, theirs) => mine.Merge(theirs)),
        Inputs is null ? other.Inputs : other.Inputs is null ? Inputs : Inputs.Merge(other.Inputs));

    /// <summary>What was added since <paramref name="earlier"/>, an earlier reading of the same running total.</summary>
    public StatsDelta Minus(StatsDelta earlier) => new(
        Math.Max(0, Success - earlier.Success), Math.Max(0, Failure - earlier.Failure), Math.Max(0, Rows - earlier.Rows), Math.Max(0, Batches - earlier.Batches),
        Request.Minus(earlier.Request), Queue.Minus(earlier.Queue), Compute.Minus(earlier.Compute),
        Outputs?.ToImmutableDictionary(o => o.Key, o => o.Value.Minus(earlier.Outputs?.GetValueOrDefault(o.Key)), StringComparer.Ordinal));

    private static ImmutableDictionary<string, OutputDistribution>? Combine(
        ImmutableDictionary<string, OutputDistribution>? left,
        ImmutableDictionary<string, OutputDistribution>? right,
        Func<OutputDistribution, OutputDistribution, OutputDistribution> merge)
    {
        if (right is null || right.Count == 0) return left;
        if (left is null || left.Count == 0) return right;
        var merged = left.ToBuilder();
        foreach (var (name, distribution) in right) merged[name] = merged.TryGetValue(name, out var mine) ? merge(mine, distribution) : distribution;
        return merged.ToImmutable();
    }
}
