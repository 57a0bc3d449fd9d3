namespace Cluster.Statistics;

/// <summary>What a batch worker saw for one version since its last push (or a window's total): counts and latency histograms.</summary>
/// <param name="Success">Requests answered with outputs.</param>
/// <param name="Failure">Requests answered with an error after they were accepted.</param>
/// <param name="Rows">Rows computed.</param>
/// <param name="Batches">Batches run.</param>
/// <param name="Request">End-to-end latency in the worker (queue + compute) of successful requests.</param>
/// <param name="Queue">Time requests waited before their batch was sent.</param>
/// <param name="Compute">Time ONNX Runtime spent per batch.</param>
[GenerateSerializer, Immutable, Alias("Cluster.StatsDelta")]
public sealed record StatsDelta(long Success, long Failure, long Rows, long Batches, LatencyHistogram Request, LatencyHistogram Queue, LatencyHistogram Compute)
{
    /// <summary>Nothing seen.</summary>
    public static StatsDelta Empty { get; } = new(0, 0, 0, 0, LatencyHistogram.Empty, LatencyHistogram.Empty, LatencyHistogram.Empty);

    /// <summary>True when nothing was seen.</summary>
    public bool IsEmpty => Success == 0 && Failure == 0 && Batches == 0;

    /// <summary>The sum of two deltas.</summary>
    public StatsDelta Merge(StatsDelta other) => new(
        Success + other.Success, Failure + other.Failure, Rows + other.Rows, Batches + other.Batches,
        Request.Merge(other.Request), Queue.Merge(other.Queue), Compute.Merge(other.Compute));
}
