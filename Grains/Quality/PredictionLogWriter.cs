using Microsoft.Extensions.Hosting;

namespace Cluster.Quality;

/// <summary>Cluster mode: moves the silo's queued predictions into PostgreSQL, and on shutdown what is still queued.</summary>
public sealed class PredictionLogWriter(PostgresPredictionLog log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => log.WriteQueued(stoppingToken);
}
