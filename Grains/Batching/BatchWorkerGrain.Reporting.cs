using Cluster.Scaling;
using Microsoft.Extensions.Logging;

namespace Cluster.Batching;

/// <summary>What a batch worker tells others once a second: statistics to the version's stats grain, load to its autoscaler.</summary>
public sealed partial class BatchWorkerGrain
{
    private async Task PushStats(CancellationToken cancellationToken)
    {
        await ReportLoad();
        var delta = _stats.TakeDelta();
        if (delta.IsEmpty) return;
        triton.Add(_model, _version, delta);
        try
        {
            _stats.UseBinning(await _statsGrain!.Push(delta, Monitoring));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // Statistics are best effort: a lost summary must never fail or slow inference.
            LogStatsPushFailed(logger, _model, _version, ex.Message);
        }
    }

    /// <summary>Tells the version's autoscaler what this silo saw in the last second; only versions with autoscaling pay for it.</summary>
    private async Task ReportLoad()
    {
        var average = _load.TakeAverage(time.GetTimestamp());
        if (_config.Autoscaling is null) return;
        try
        {
            await _autoscaler!.Report(silo.SiloAddress.ToString(), new LoadReport(average, _queue.Count, _replicas.Total, _counters.Requests));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // A lost report only delays a scaling decision; the next one follows in a second.
            LogStatsPushFailed(logger, _model, _version, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics of {Model} version {Version} were not delivered: {Reason}")]
    private static partial void LogStatsPushFailed(ILogger logger, string model, string version, string reason);
}
