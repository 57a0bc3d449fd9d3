using Cluster.Grains;
using Cluster.Placement;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;

namespace Cluster.Models;

/// <summary>Loads, spreads and unloads the replicas of a version on behalf of its model grain.</summary>
public sealed partial class VersionReplicas(InferenceSilos inferenceSilos, ILogger<VersionReplicas> logger)
{
    /// <summary>Loads every replica (warm-up included) and reports the version ready, or failed with the reason.</summary>
    public async Task<ModelVersionInfo> Load(IGrainFactory grains, string model, ModelVersionInfo loading)
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
            var replicas = Replicas(grains, model, registration);
            var results = await Task.WhenAll(replicas.Select(r => r.Load(registration)));
            var silos = results.Select(r => r.Silo).ToArray();
            await Spread(model, replicas, silos, registration);
            return loading with
            {
                Status = VersionStatus.Ready,
                Signature = results[0].Signature,
                ExecutionProvider = results[0].ExecutionProvider,
                ReplicaSilos = [.. silos],
            };
        }
        catch (Exception ex)
        {
            return loading with { Status = VersionStatus.Failed, Reason = ex.Message };
        }
    }

    /// <summary>
    /// Re-spreads a ready version whose replicas crowd a silo while another inference silo has
    /// fewer (a silo joined, or its metadata arrived, after the replicas were placed); null when
    /// nothing moved.
    /// </summary>
    public async Task<ModelVersionInfo?> Rebalance(IGrainFactory grains, string model, ModelVersionInfo version)
    {
        if (version.Status != VersionStatus.Ready || version.ReplicaSilos.IsDefaultOrEmpty) return null;
        var silos = version.ReplicaSilos.ToArray();
        if (ReplicaSpread.Plan(silos, inferenceSilos.Active()).Count == 0) return null;
        await Spread(model, Replicas(grains, model, version.Registration), silos, version.Registration);
        return version with { ReplicaSilos = [.. silos] };
    }

    /// <summary>Deactivates every replica, which disposes their sessions.</summary>
    public Task Unload(IGrainFactory grains, string model, ModelVersionInfo version) =>
        Task.WhenAll(Replicas(grains, model, version.Registration).Select(r => r.Unload()));

    private static IReplicaGrain[] Replicas(IGrainFactory grains, string model, VersionRegistration registration) =>
        [.. Enumerable.Range(0, registration.Config.Replicas).Select(i => grains.GetGrain<IReplicaGrain>(GrainKeys.Replica(model, registration.Version, i)))];

    /// <summary>Moves replicas that share a silo while another inference silo has fewer, so a version spreads as silos join.</summary>
    private async Task Spread(string model, IReplicaGrain[] replicas, SiloAddress[] silos, VersionRegistration registration)
    {
        foreach (var (index, target) in ReplicaSpread.Plan(silos, inferenceSilos.Active()))
        {
            await replicas[index].Unload();
            RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
            try
            {
                silos[index] = (await replicas[index].Load(registration)).Silo;
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
            LogMoved(logger, model, registration.Version, index, silos[index].ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version}: replica {Index} moved to {Silo} to spread over inference silos")]
    private static partial void LogMoved(ILogger logger, string model, string version, int index, string silo);
}
