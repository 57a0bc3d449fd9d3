using System.Collections.Immutable;
using Cluster.Cost;

namespace Cluster.Grains;

/// <summary>
/// A version's resource use per minute, merged from every silo its replicas ran on and kept for
/// <see cref="CostWindow.Kept"/> in grain state; key: <c>model/version</c>.
/// </summary>
[Alias("Cluster.IUsageGrain")]
public interface IUsageGrain : IGrainWithStringKey
{
    /// <summary>Adds what one silo's replicas used since its last push, per minute and device class.</summary>
    [Alias("Add")] Task Add(ImmutableArray<UsageBucket> buckets);

    /// <summary>Sums over the last <paramref name="span"/> (calendar minutes, the one it starts in included).</summary>
    [Alias("Get"), ReadOnly] Task<VersionUsage> Get(TimeSpan span);
}
