using System.Diagnostics;
using Cluster.Telemetry;

namespace Cluster.Batching;

/// <summary>
/// The batch worker's spans. Each request gets a <c>queue</c> span in its own trace for the time it
/// waited; each batch gets one <c>batch</c> span that links every request it carries (a batch
/// belongs to many traces, as OpenTelemetry models a batch of messages) and sits in the trace of its
/// first sampled request, so that trace also holds the replica's compute on the other silo.
/// </summary>
internal static class BatchTracing
{
    public static void RecordQueueWait(ActivityContext request, string model, string version, TimeProvider time, TimeSpan waited)
    {
        // A request whose trace is not recorded gets no queue span (parent-based sampling would drop it), and pays nothing for it.
        if (!request.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) || !InferenceTracing.Source.HasListeners()) return;
        using var span = InferenceTracing.Source.StartActivity("queue", ActivityKind.Internal, request, startTime: time.GetUtcNow() - waited);
        span?.SetTag("cluster.model", model);
        span?.SetTag("cluster.version", version);
    }

    public static Activity? StartBatch(ScheduledBatch batch, string model, string version)
    {
        if (!InferenceTracing.Source.HasListeners()) return null;
        var links = new List<ActivityLink>(batch.Requests.Count);
        ActivityContext parent = default;
        foreach (var pending in batch.Requests)
        {
            if (pending.Trace == default) continue;
            links.Add(new ActivityLink(pending.Trace));
            if (parent == default && pending.Trace.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)) parent = pending.Trace;
        }
        // Without a sampled request the batch must not join whatever call happens to be current: it starts no trace of its own either.
        Activity.Current = null;
        if (parent == default) return null;
        var span = InferenceTracing.Source.StartActivity("batch", ActivityKind.Internal, parent, links: links);
        if (span is null) return null;
        span.SetTag("cluster.model", model);
        span.SetTag("cluster.version", version);
        span.SetTag("cluster.batch.requests", batch.Requests.Count);
        span.SetTag("cluster.replica", batch.Replica);
        return span;
    }
}
