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
}
