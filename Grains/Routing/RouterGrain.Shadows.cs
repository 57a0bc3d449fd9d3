using System.Collections.Immutable;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Routing;

/// <summary>Shadow traffic: copies of answered requests to the versions a traffic policy mirrors to, compared off the request path.</summary>
public sealed partial class RouterGrain
{
    /// <summary>
    /// Copies a sample of requests to the shadow versions after the primary answered; nothing here can delay or fail the primary.
    /// Returns how many copies went out.
    /// </summary>
    private int MirrorToShadows(InferenceRequest request, string primaryVersion, ImmutableArray<TensorData> primaryOutputs, CaptureConfig? capture)
    {
        if (_table is not { Shadows.IsEmpty: false } table) return 0;
        var sent = 0;
        foreach (var (entry, fraction) in table.Shadows)
        {
            if (entry.Version == primaryVersion) continue;
            if (Random.Shared.NextDouble() >= fraction || !_shadows.TryBegin(entry.Version)) continue;
            // The shadow runs on after the caller is answered, when lent input arrays go back for reuse.
            if (sent == 0) (request, primaryOutputs) = (TensorBuffers.Keep(request), TensorBuffers.Keep(primaryOutputs));
            _ = RunShadow(request, entry, primaryOutputs, capture);
            sent++;
        }
        StartHousekeeping();
        return sent;
    }

    private async Task RunShadow(InferenceRequest request, ModelVersionInfo shadow, ImmutableArray<TensorData> primaryOutputs, CaptureConfig? capture)
    {
        var started = time.GetTimestamp();
        var receivedAt = capture is null ? default : time.GetUtcNow();
        ImmutableArray<TensorData> answered = default;
        try
        {
            var config = shadow.Registration.Config;
            InferenceRequestValidator.Validate(request, shadow.Signature!, config.MaxBatchSize);
            using var timeout = new CancellationTokenSource(ShadowTimeout, time);
            var batched = await Worker(shadow.Version).Infer(request with { Timeout = ShadowTimeout }, config, shadow.Replicas, timeout.Token);
            answered = batched.Outputs;
            _shadows.Succeeded(shadow.Version, time.GetElapsedTime(started), primaryOutputs, batched.Outputs);
            if (capture is not null) Capture(shadow.Version, "shadow", request, batched.Outputs, batched, capture, receivedAt, time.GetElapsedTime(started), "success", null);
        }
        catch (Exception ex)
        {
            // Whatever the shadow does wrong is its figure to report, never the caller's problem.
            _shadows.Failed(shadow.Version);
            if (capture is not null) Capture(shadow.Version, "shadow", request, answered, null, capture, receivedAt, time.GetElapsedTime(started), "error", ex.Message);
        }
    }
}
