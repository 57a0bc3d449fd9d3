using Cluster.Inference;
using Cluster.Models;

namespace Cluster.Batching;

/// <summary>A batch worker's settings (from the config each request brings) and the snapshot of them and its counters.</summary>
public sealed partial class BatchWorkerGrain
{
    private MonitoringConfig Monitoring => _config.Monitoring ?? MonitoringConfig.Default;

    private bool Recording => Monitoring.Statistics;

    private void Configure(ModelConfig config)
    {
        var sameBatching = BatchFormation.SameSettings(_config, config) && (_adaptive is not null) == config.Batching.IsAdaptive;
        // Settings other than batching (monitoring) may still have changed; the adaptive controller's learning survives only a same-batching update.
        _config = config;
        if (sameBatching) return;
        _adaptive = config.Batching.IsAdaptive
            ? new AdaptiveBatchController(config.MaxBatchSize, TimeSpan.FromMilliseconds(config.Batching.LatencyTargetMs))
            : null;
    }

    private BatchingStats Snapshot()
    {
        var batching = _config.Batching;
        var mode = !batching.Enabled || _config.MaxBatchSize == 0 ? "off" : batching.IsAdaptive ? "adaptive" : "fixed";
        return new BatchingStats(
            mode,
            BatchFormation.MaxRows(_config, _adaptive),
            TimeSpan.FromMicroseconds(batching.IsAdaptive ? 0 : batching.MaxQueueDelayMicroseconds),
            TimeSpan.FromMilliseconds(batching.LatencyTargetMs),
            _adaptive?.ObservedP95 ?? TimeSpan.Zero,
            _queue.Count,
            _replicas.Total,
            _counters.Requests,
            _counters.Batches,
            _counters.RowsComputed,
            _counters.Rejected,
            _counters.Expired,
            _counters.Cancelled,
            _counters.Failed,
            _counters.Retried);
    }

    private static TimeSpan? DefaultTimeout(BatchingConfig batching) =>
        batching.DefaultTimeoutMicroseconds > 0 ? TimeSpan.FromMicroseconds(batching.DefaultTimeoutMicroseconds) : null;
}
