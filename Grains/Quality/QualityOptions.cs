using System.ComponentModel.DataAnnotations;

namespace Cluster.Quality;

/// <summary>How a silo keeps served predictions for the ground-truth join (configuration section <c>Quality</c>).</summary>
public sealed class QualityOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Quality";

    /// <summary>Most predictions the embedded default keeps in memory; past this, new ones are dropped and counted.</summary>
    [Range(1, 100_000_000)]
    public int MaxRecordsInMemory { get; set; } = 1_000_000;

    /// <summary>Cluster mode: predictions a silo queues while its writer is behind; past this, new ones are dropped and counted.</summary>
    [Range(1, 10_000_000)]
    public int BufferSize { get; set; } = 100_000;

    /// <summary>Cluster mode: most predictions written to PostgreSQL in one statement.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>How often predictions past their retention are forgotten.</summary>
    [Range(1, 1440)]
    public int PruneEveryMinutes { get; set; } = 10;
}
