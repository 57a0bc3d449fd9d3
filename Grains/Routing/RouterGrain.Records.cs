using System.Collections.Immutable;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Tensors;

namespace Cluster.Routing;

/// <summary>What a served request leaves behind: its capture record and, for a model with a quality config, its prediction for the ground-truth join.</summary>
public sealed partial class RouterGrain
{
    private void RecordPrediction(ModelVersionInfo entry, InferenceRequest request, ImmutableArray<TensorData> outputs, QualityConfig quality)
    {
        var output = quality.Output ?? entry.Signature!.Outputs[0].Name;
        PredictionExtractor.Record(predictions, Model, entry.Version, request, outputs, quality, output, time.GetUtcNow());
    }

    private void Capture(string version, string arm, InferenceRequest request, ImmutableArray<TensorData> outputs, BatchedOutputs? batched, CaptureConfig config,
        DateTimeOffset receivedAt, TimeSpan duration, string outcome, string? error)
    {
        // The record waits for the capture writer after the caller is answered: it shares the lent arrays, which go back for reuse once both are done.
        var (kept, keptOutputs) = CapturedRequest.Keep(request, outputs, config);
        captures.Offer(new CapturedRequest(Model, version, arm, kept, keptOutputs, config, request.TraceId ?? CaptureTrace.Current, receivedAt, duration, outcome, error)
        {
            QueueTime = batched?.QueueTime,
            ComputeTime = batched?.ComputeTime,
        });
    }
}
