using Cluster.Errors;
using Microsoft.Extensions.Logging;

namespace Cluster.Batching;

/// <summary>How many replicas a batch worker sends to, and how it gets one when its version has none (a cold start).</summary>
public sealed partial class BatchWorkerGrain
{
    private void TrackLoad() => _load.Set(time.GetTimestamp(), _queue.Count + _running);

    /// <summary>Replicas to spread batches over: the caller's count, or what a cold start just brought up while callers still say 0.</summary>
    private int ServingReplicas()
    {
        if (_replicaCount > 0) return _replicaCount;
        return _coldStartReplicas > 0 && Elapsed(_coldStartDoneAt, time.GetTimestamp()) < ColdStartGrace ? _coldStartReplicas : 0;
    }

    /// <summary>
    /// The version has no replica serving (scaled to zero or evicted): ask its autoscaler to bring
    /// some up while the requests wait in the queue (their deadlines still apply).
    /// </summary>
    private async Task ColdStart()
    {
        var started = time.GetTimestamp();
        try
        {
            _coldStartReplicas = await _autoscaler!.Demand();
            _coldStartDoneAt = time.GetTimestamp();
            instruments.RecordColdStart(_model, _version, Elapsed(started, _coldStartDoneAt));
            LogColdStart(logger, _model, _version, _coldStartReplicas, Elapsed(started, _coldStartDoneAt).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            var failure = ex as InferenceException ?? new ModelNotReadyException($"Model '{_model}' version {_version} has no replica serving and could not start one: {ex.Message}");
            foreach (var pending in _queue.RemoveWhere(_ => true))
            {
                _counters.Failed++;
                pending.Completion.TrySetException(failure);
            }
            TrackLoad();
        }
        finally
        {
            _coldStart = null;
        }
        Pump();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} had no replica: cold start brought up {Replicas} in {Milliseconds:F0} ms")]
    private static partial void LogColdStart(ILogger logger, string model, string version, int replicas, double milliseconds);
}
