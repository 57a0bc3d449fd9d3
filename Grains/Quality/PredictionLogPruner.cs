using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Quality;

/// <summary>Forgets predictions past their retention every <see cref="QualityOptions.PruneEveryMinutes"/>.</summary>
public sealed partial class PredictionLogPruner(IPredictionLog log, IOptions<QualityOptions> options, TimeProvider time, ILogger<PredictionLogPruner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PruneEveryMinutes), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await log.Prune(time.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Expired predictions never match a label anyway; pruning only returns their space, so the next tick tries again.
                    LogPruneFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired predictions failed: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
