using Cluster.Quality;

namespace Cluster.Grains;

/// <summary>A version's quality statistics, merged from every silo's ground-truth joins; key: <c>model/version</c>.</summary>
[Alias("Cluster.IQualityStatsGrain")]
public interface IQualityStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds the sums of newly labelled predictions.</summary>
    [Alias("Add")] Task Add(QualitySummary delta);

    /// <summary>Everything labelled so far.</summary>
    [Alias("GetTotal"), ReadOnly] Task<QualitySummary> GetTotal();
}
