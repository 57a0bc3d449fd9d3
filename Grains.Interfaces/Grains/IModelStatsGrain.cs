using System.Collections.Immutable;
using Cluster.Drift;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Statistics;

namespace Cluster.Grains;

/// <summary>
/// A version's statistics merged across silos: latency, throughput, errors, output distributions,
/// input drift against a reference, and the alerts they raise; key: <c>model/version</c>.
/// </summary>
[Alias("Cluster.IModelStatsGrain")]
public interface IModelStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds what one worker saw since its last push; answers the reference's bins to profile inputs by (null while there is none).</summary>
    [Alias("Push")] Task<DriftBinning?> Push(StatsDelta delta, MonitoringConfig monitoring);

    /// <summary>Totals and windows.</summary>
    [Alias("Get"), ReadOnly] Task<VersionStatistics> Get();

    /// <summary>The last hour, one point per minute that saw requests, oldest first: what the status page's history charts draw.</summary>
    [Alias("GetHistory"), ReadOnly] Task<System.Collections.Immutable.ImmutableArray<MinutePoint>> GetHistory();

    /// <summary>Drift of a window (<c>1m</c>, <c>15m</c>, <c>1h</c>) against the reference.</summary>
    [Alias("GetDrift"), ReadOnly] Task<DriftReport> GetDrift(string window);

    /// <summary>Replaces the reference with one built from a sample set (its sampled inputs and the outputs the version gave for them).</summary>
    [Alias("SetReference")] Task<DriftReport> SetReference(InputProfile samples, ImmutableDictionary<string, OutputDistribution> outputs);

    /// <summary>The version's latest quality figures (from its quality statistics grain), judged against the quality alert thresholds at once.</summary>
    [Alias("SetQuality")] Task SetQuality(VersionQuality quality, MonitoringConfig monitoring);

    /// <summary>Active alerts and the last cleared ones.</summary>
    [Alias("GetAlerts"), ReadOnly] Task<ImmutableArray<ModelAlert>> GetAlerts();
}
