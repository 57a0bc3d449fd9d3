namespace Cluster.Quality;

/// <summary>The true answer to one served request, posted later by the caller.</summary>
/// <param name="Id">The request id the prediction was served under.</param>
/// <param name="Class">Classification: the true class index.</param>
/// <param name="ClassName">Classification: the true class by name, where the model's quality config names classes.</param>
/// <param name="Value">Regression: the true value.</param>
[GenerateSerializer, Immutable, Alias("Cluster.GroundTruthLabel")]
public sealed record GroundTruthLabel(string Id, int? Class = null, string? ClassName = null, double? Value = null)
{
    /// <summary>Most labels one call may carry.</summary>
    public const int MaxPerCall = 10_000;
}
