using System.Collections.Immutable;
using System.Diagnostics;
using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Batching;

/// <summary>A request waiting in a batch worker, with what batch formation and deadlines need.</summary>
internal sealed class PendingRequest(InferenceRequest request, int rows, string batchKey, long enqueuedAt, long? deadlineAt)
{
    public InferenceRequest Request { get; } = request;

    /// <summary>Rows the request adds to a batch.</summary>
    public int Rows { get; } = rows;

    /// <summary>Requests with equal keys can share a batch: same inputs, datatypes, trailing dims and outputs.</summary>
    public string BatchKey { get; } = batchKey;

    /// <summary>Timestamp (TimeProvider ticks) when it was queued.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Timestamp after which it must not start computing; null for none.</summary>
    public long? DeadlineAt { get; } = deadlineAt;

    /// <summary>
    /// Completed with the request's outputs, its error, or cancellation. Thread-safe, so a
    /// cancellation callback may complete it from any thread; the worker only reads it.
    /// </summary>
    public TaskCompletionSource<BatchedOutputs> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long it waited in the queue before its batch left for a replica (set when the batch leaves).</summary>
    public TimeSpan QueueTime { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>The trace context of the call that queued it: its queue span's parent and its batch span's link.</summary>
    public ActivityContext Trace { get; set; }

    /// <summary>Times its batch came back from a replica the version no longer serves.</summary>
    public int Retries { get; set; }

    public bool IsDone => Completion.Task.IsCompleted;

    /// <summary>The key of requests that may be concatenated with <paramref name="request"/>.</summary>
    public static string KeyOf(InferenceRequest request)
    {
        var key = new System.Text.StringBuilder();
        foreach (var input in request.Inputs)
        {
            key.Append(input.Name).Append(':').Append((int)input.DataType);
            for (var i = 1; i < input.Shape.Length; i++) key.Append(',').Append(input.Shape[i]);
            key.Append(input.Shape.Length == 0 ? "|s;" : ";");
        }
        key.Append("=>");
        foreach (var output in request.RequestedOutputs) key.Append(output).Append(';');
        return key.ToString();
    }

    /// <summary>Rows of a request: dimension 0 of its first input, 1 for a scalar.</summary>
    public static int RowsOf(InferenceRequest request) => checked((int)BatchAssembler.Rows(request));
}
