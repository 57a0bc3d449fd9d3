using Cluster.Statistics;

namespace Cluster.Grains;

/// <summary>Merges the statistics batch workers on every silo push for one version; key: <c>model/version</c>.</summary>
[Alias("Cluster.IModelStatsGrain")]
public interface IModelStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds what one worker saw since its last push.</summary>
    [Alias("Push")] Task Push(StatsDelta delta);

    /// <summary>Totals and windows.</summary>
    [Alias("Get"), ReadOnly] Task<VersionStatistics> Get();
}
