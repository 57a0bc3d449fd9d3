using System.Collections.Immutable;

namespace Cluster.Quality;

/// <summary>A model's quality per version (those with a quality config), over one window.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.QualityReport")]
public sealed record QualityReport(string Window, ImmutableArray<VersionQuality> Versions)
{
    /// <summary>The window covering everything labelled since the statistics began.</summary>
    public const string Total = "total";
}
