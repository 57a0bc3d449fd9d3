using System.Collections.Immutable;
using Cluster.Quality;

namespace Cluster.Grains;

/// <summary>
/// Joins ground truth to the predictions a model served and reports its quality; key: model name.
/// A stateless worker: the join reads the silo's prediction log (PostgreSQL in cluster mode).
/// </summary>
[Alias("Cluster.IQualityGrain")]
public interface IQualityGrain : IGrainWithStringKey
{
    /// <summary>
    /// Joins up to <see cref="GroundTruthLabel.MaxPerCall"/> labels to served predictions by request id and adds the matches to
    /// their versions' statistics. Unknown ids and duplicates are counted, not errors; a label the model's quality config cannot
    /// read (a class name it does not name, a value for a classifier) fails the whole batch before anything is joined.
    /// </summary>
    [Alias("Submit")] Task<GroundTruthResult> Submit(ImmutableArray<GroundTruthLabel> labels);

    /// <summary>Quality per version over <paramref name="window"/>: <c>1m</c>, <c>15m</c>, <c>1h</c> (by when labels arrived) or <see cref="QualityReport.Total"/>.</summary>
    [Alias("GetReport"), ReadOnly] Task<QualityReport> GetReport(string window);
}
