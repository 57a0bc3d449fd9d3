using System.Collections.Immutable;
using Cluster.Memory;

namespace Cluster.Grains;

/// <summary>The cluster's view of every inference silo's memory budget, pushed by the silos every few seconds; key: 0.</summary>
[Alias("Cluster.IMemoryMapGrain")]
public interface IMemoryMapGrain : IGrainWithIntegerKey
{
    /// <summary>A silo's latest figures.</summary>
    [Alias("Push")] Task Push(SiloMemory memory);

    /// <summary>The latest figures of every silo heard from recently.</summary>
    [Alias("Get"), AlwaysInterleave] Task<ImmutableArray<SiloMemory>> Get();
}
