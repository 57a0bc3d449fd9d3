using System.Collections.Immutable;
using Cluster.Grains;
using Microsoft.Extensions.Logging;

namespace Cluster.Models;

/// <summary>
/// A model's catalog. Reentrant so that metadata reads are answered while replicas load; every
/// state change happens between awaits and writes go through one lock, so interleaved turns
/// never write with a stale etag.
/// </summary>
[Reentrant]
public sealed partial class ModelGrain(
    [PersistentState("model", ModelStorage.Name)] IPersistentState<ModelState> state,
    ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private string Name => this.GetPrimaryKeyString();

    public async Task<ModelVersionInfo> RegisterVersion(VersionRegistration registration)
    {
        if (!ModelVersions.TryParse(registration.Version, out _))
        {
            throw new ArgumentException($"Version '{registration.Version}' is not a positive integer.", nameof(registration));
        }
        var loading = new ModelVersionInfo(registration.Version, VersionStatus.Loading, null, null, null, registration);
        await Save(loading);
        await GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).Add(Name);

        var loaded = await LoadReplicas(loading);
        // A newer registration of the same version may have landed while these replicas loaded.
        if (state.State.Versions.TryGetValue(registration.Version, out var current) && !ReferenceEquals(current.Registration, registration)) return current;
        await Save(loaded);
        return loaded;
    }

    public Task<ModelInfo> GetInfo()
    {
        var versions = state.State.Versions.Values.OrderBy(v => v.Version, ModelVersions.Comparer).ToImmutableArray();
        var ready = versions.LastOrDefault(v => v.Status == VersionStatus.Ready);
        var defaultVersion = (ready ?? versions.LastOrDefault())?.Version;
        return Task.FromResult(new ModelInfo(Name, state.State.Revision, defaultVersion, versions));
    }

    private async Task<ModelVersionInfo> LoadReplicas(ModelVersionInfo loading)
    {
        var registration = loading.Registration;
        try
        {
            var results = await Task.WhenAll(Enumerable.Range(0, registration.Config.Replicas)
                .Select(i => GrainFactory.GetGrain<IReplicaGrain>(GrainKeys.Replica(Name, registration.Version, i)).Load(registration)));
            return loading with { Status = VersionStatus.Ready, Signature = results[0].Signature, ExecutionProvider = results[0].ExecutionProvider };
        }
        catch (Exception ex)
        {
            LogLoadFailed(logger, Name, registration.Version, ex);
            return loading with { Status = VersionStatus.Failed, Reason = ex.Message };
        }
    }

    private async Task Save(ModelVersionInfo version)
    {
        await _writeLock.WaitAsync();
        try
        {
            state.State.Versions[version.Version] = version;
            state.State.Revision++;
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, Exception exception);
}
