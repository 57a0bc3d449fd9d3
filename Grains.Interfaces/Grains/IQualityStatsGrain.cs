using Cluster.Quality;

namespace Cluster.Grains;

/// <summary>A version's quality statistics, merged from every silo's ground-truth joins; key: <c>model/version</c>.</summary>
[Alias("Cluster.IQualityStatsGrain")]
public interface IQualityStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds the sums of newly labelled predictions.</summary>
    [Alias("Add")] Task Add(QualitySummary delta);

    /// <summary>
    /// The sums of labels that arrived within <paramref name="window"/> (<c>1m</c>, <c>15m</c>, <c>1h</c>: calendar minutes, reaching
    /// back into the minute the window starts in), or of everything labelled (<see cref="QualityReport.Total"/>).
    /// </summary>
    [Alias("Get"), ReadOnly] Task<QualitySummary> Get(string window);

    /// <summary>The last hour's minutes in which labels arrived, oldest first, each with the sums of its labels.</summary>
    [Alias("GetHistory"), ReadOnly] Task<System.Collections.Immutable.ImmutableArray<QualityMinute>> GetHistory();
}
