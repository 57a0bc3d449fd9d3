using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Placement;
using Orleans.Runtime.Placement;
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
    InferenceSilos inferenceSilos,
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
        if (registration.Config.RequireAccelerator && inferenceSilos.WithAccelerators().Count == 0)
        {
            return loading with
            {
                Status = VersionStatus.Failed,
                Reason = "require_accelerator is set, but no active inference silo advertises a CUDA device (Silo:Accelerators); not serving on CPU.",
            };
        }
        try
        {
            var replicas = Enumerable.Range(0, registration.Config.Replicas)
                .Select(i => GrainFactory.GetGrain<IReplicaGrain>(GrainKeys.Replica(Name, registration.Version, i))).ToArray();
            var results = await Task.WhenAll(replicas.Select(r => r.Load(registration)));
            await Spread(replicas, results, registration);
            return loading with
            {
                Status = VersionStatus.Ready,
                Signature = results[0].Signature,
                ExecutionProvider = results[0].ExecutionProvider,
                ReplicaSilos = [.. results.Select(r => r.Silo)],
            };
        }
        catch (Exception ex)
        {
            LogLoadFailed(logger, Name, registration.Version, ex);
            return loading with { Status = VersionStatus.Failed, Reason = ex.Message };
        }
    }

    /// <summary>Moves replicas that share a silo while another inference silo has fewer, so a version spreads as silos join.</summary>
    private async Task Spread(IReplicaGrain[] replicas, ReplicaLoadResult[] results, VersionRegistration registration)
    {
        foreach (var (index, target) in ReplicaSpread.Plan([.. results.Select(r => r.Silo)], inferenceSilos.Active()))
        {
            await replicas[index].Unload();
            RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
            try
            {
                results[index] = await replicas[index].Load(registration);
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
            LogMoved(logger, Name, registration.Version, index, results[index].Silo.ToString());
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version}: replica {Index} moved to {Silo} to spread over inference silos")]
    private static partial void LogMoved(ILogger logger, string model, string version, int index, string silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, Exception exception);
}
