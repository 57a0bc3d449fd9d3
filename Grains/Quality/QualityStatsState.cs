namespace Cluster.Quality;

/// <summary>What a version's quality statistics grain keeps: the sums of everything labelled, and per minute for the windows.</summary>
[GenerateSerializer, Alias("Cluster.QualityStatsState")]
public sealed class QualityStatsState
{
    /// <summary>Sums over every labelled prediction of the version.</summary>
    [Id(0)] public QualitySummary Total { get; set; } = QualitySummary.Empty;

    /// <summary>Sums of the labels that arrived in each of the last 61 calendar minutes (Unix minutes), oldest first.</summary>
    [Id(1)] public List<(long Minute, QualitySummary Summary)> Minutes { get; set; } = [];
}
