using System.Collections.Immutable;

namespace Cluster.Grains;

/// <summary>The index of model names; one activation, key <see cref="GrainKeys.Registry"/>.</summary>
[Alias("Cluster.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a model name to the index (idempotent).</summary>
    [Alias("Add")] Task Add(string model);

    /// <summary>Removes a model name from the index (idempotent).</summary>
    [Alias("Remove")] Task Remove(string model);

    /// <summary>All model names, sorted.</summary>
    [Alias("List"), ReadOnly] Task<ImmutableArray<string>> List();
}
