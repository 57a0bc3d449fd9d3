using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Quality;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Posts ground truth for predictions <paramref name="model"/> served (its config needs a <c>quality</c> block): each label names the
    /// request id and the true class (<see cref="GroundTruthLabel.Class"/> or <see cref="GroundTruthLabel.ClassName"/>) or value. Up to
    /// <see cref="GroundTruthLabel.MaxPerCall"/> a call. Unknown or expired ids and duplicates are counted in the result, not errors.
    /// </summary>
    /// <exception cref="Errors.InvalidInferenceRequestException">A label the model's quality config cannot read, or too many labels.</exception>
    /// <exception cref="Errors.ConflictException">The model has no quality config.</exception>
    public Task<GroundTruthResult> SendGroundTruthAsync(string model, IEnumerable<GroundTruthLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ImmutableArray<GroundTruthLabel> all = [.. labels];
        return _gateway?.SendGroundTruth(model, all) ?? Cluster().GetGrain<IQualityGrain>(model).Submit(all);
    }

    /// <summary>Quality per version of <paramref name="model"/> (the versions with a quality config) over <paramref name="window"/>.</summary>
    public Task<QualityReport> GetQualityAsync(string model, string window = QualityReport.Total) =>
        _gateway?.GetQuality(model, window) ?? Cluster().GetGrain<IQualityGrain>(model).GetReport(window);
}
