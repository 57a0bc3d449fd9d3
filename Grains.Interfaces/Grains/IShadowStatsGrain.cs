using Cluster.Statistics;

namespace Cluster.Grains;

/// <summary>Merges what routers on every silo saw of one shadow version; key: <c>model/version</c>.</summary>
[Alias("Cluster.IShadowStatsGrain")]
public interface IShadowStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds what one router saw since its last push.</summary>
    [Alias("Push")] Task Push(ShadowComparison delta);

    /// <summary>Everything since the shadow was first mirrored to, or since <see cref="Reset"/>.</summary>
    [Alias("Get"), ReadOnly] Task<ShadowComparison> Get();

    /// <summary>Starts counting again (when the shadow is set up anew).</summary>
    [Alias("Reset")] Task Reset();
}
