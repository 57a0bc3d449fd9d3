namespace Cluster.Quality;

/// <summary>What a version's quality statistics grain keeps: the sums of everything labelled.</summary>
[GenerateSerializer, Alias("Cluster.QualityStatsState")]
public sealed class QualityStatsState
{
    /// <summary>Sums over every labelled prediction of the version.</summary>
    [Id(0)] public QualitySummary Total { get; set; } = QualitySummary.Empty;
}
