using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Capture;

/// <summary>
/// A sampled request as the router saw it, held by reference (tensors are immutable) until the
/// capture writer formats it, off the request path.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version that served it.</param>
/// <param name="Arm"><c>primary</c> for the answer the caller got, <c>shadow</c> for a mirrored copy.</param>
/// <param name="Request">The request as routed (its id is the record's id).</param>
/// <param name="Outputs">What the version answered; default when it failed.</param>
/// <param name="Config">The model's capture settings when the request was sampled.</param>
/// <param name="TraceId">32 hex digits of the request's W3C trace; null when it ran outside any trace.</param>
/// <param name="ReceivedAt">When the router took the request.</param>
/// <param name="Duration">Time from routing to the answer.</param>
/// <param name="Outcome">success, invalid, rejected, expired, cancelled or error.</param>
/// <param name="Error">The error's message when it failed.</param>
public sealed record CapturedRequest(
    string Model, string Version, string Arm, InferenceRequest Request, ImmutableArray<TensorData> Outputs, CaptureConfig Config,
    string? TraceId, DateTimeOffset ReceivedAt, TimeSpan Duration, string Outcome, string? Error)
{
    /// <summary>Time in the batch worker's queue; null when no batch worker answered (a cache hit, a refusal, a failure).</summary>
    public TimeSpan? QueueTime { get; init; }

    /// <summary>ONNX Runtime's time for the batch that carried it; null when no batch worker answered.</summary>
    public TimeSpan? ComputeTime { get; init; }

    /// <summary>When the answer (or the failure) came.</summary>
    public DateTimeOffset CompletedAt => ReceivedAt + Duration;

    /// <summary>
    /// What of a request and its answer a record keeps past the call, as <paramref name="config"/> will write it: the tensors
    /// it writes, shared (<see cref="TensorBuffers.Share(TensorData)"/>: a lent array goes back to the pool once both the call
    /// and the capture writer are done with it, so no 110 KB image is copied per captured request), and tensors it leaves out
    /// (inputs or outputs off, redacted inputs) without their bytes.
    /// </summary>
    public static (InferenceRequest Request, ImmutableArray<TensorData> Outputs) Keep(InferenceRequest request, ImmutableArray<TensorData> outputs, CaptureConfig config)
    {
        // Every input written (the common case): the request itself, so nothing is allocated.
        var kept = config.Inputs && config.Redact.IsDefaultOrEmpty
            ? TensorBuffers.Share(request)
            : request with
            {
                Inputs = ImmutableArray.CreateRange(request.Inputs, input =>
                    config.Inputs && !config.Redacts(input.Name) ? TensorBuffers.Share(input) : input with { Data = [] }),
            };
        return (kept, config.Outputs ? TensorBuffers.Share(outputs) : default);
    }

    /// <summary>Gives back the record's share of lent arrays (<see cref="Keep"/>): once it is formatted, or when it is dropped.</summary>
    public void Release()
    {
        TensorBuffers.Return(Request.Inputs);
        TensorBuffers.Return(Outputs);
    }

    /// <summary>Tensor bytes this record keeps alive while it waits to be written.</summary>
    public long PayloadBytes
    {
        get
        {
            var bytes = 0L;
            foreach (var input in Request.Inputs) bytes += input.Data.Length;
            if (!Outputs.IsDefault) foreach (var output in Outputs) bytes += output.Data.Length;
            return bytes;
        }
    }
}
