using System.Collections.Immutable;
using Cluster.Grains;

namespace Cluster.Models;

/// <summary>Keeps the set of model names in grain state.</summary>
public sealed class ModelRegistryGrain(
    [PersistentState("model-registry", ModelStorage.Name)] IPersistentState<ModelRegistryState> state) : Grain, IModelRegistryGrain
{
    public async Task Add(string model)
    {
        if (!state.State.Models.Add(model)) return;
        await state.WriteStateAsync();
    }

    public async Task Remove(string model)
    {
        if (!state.State.Models.Remove(model)) return;
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> List() => Task.FromResult(state.State.Models.Order(StringComparer.Ordinal).ToImmutableArray());
}

/// <summary>Persistent state of <see cref="ModelRegistryGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.ModelRegistryState")]
public sealed class ModelRegistryState
{
    /// <summary>Registered model names.</summary>
    [Id(0)] public HashSet<string> Models { get; set; } = new(StringComparer.Ordinal);
}
