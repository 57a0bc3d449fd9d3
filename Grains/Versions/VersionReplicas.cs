using Cluster.Grains;
using Cluster.Models;
using Cluster.Placement;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;

namespace Cluster.Versions;

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
            var count = registration.Config.InitialReplicas;
            var replicas = Replicas(grains, model, registration.Version, 0, count);
            var results = await Task.WhenAll(replicas.Select(r => r.Load(registration)));
            var silos = results.Select(r => r.Silo).ToArray();
            await Spread(model, replicas, silos, registration);
            return loading with
            {
                Status = VersionStatus.Ready,
                Reason = null,
                Signature = results[0].Signature,
                ExecutionProvider = results[0].ExecutionProvider,
                ReplicaSilos = [.. silos],
                Replicas = count,
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
        if (version.Status != VersionStatus.Ready || version.ReplicaSilos.IsDefaultOrEmpty || version.Replicas == 0) return null;
        var silos = version.ReplicaSilos.Take(version.Replicas).ToArray();
        if (ReplicaSpread.Plan(silos, inferenceSilos.Preferred()).Count == 0) return null;
        await Spread(model, Replicas(grains, model, version.Version, 0, silos.Length), silos, version.Registration);
        return version with { ReplicaSilos = [.. silos] };
    }

    /// <summary>Loads replicas <c>[version.Replicas, count)</c> (placed to spread over inference silos) and reports the version with them serving.</summary>
    public async Task<ModelVersionInfo> ScaleUp(IGrainFactory grains, string model, ModelVersionInfo version, int count)
    {
        var registration = version.Registration;
        var added = Replicas(grains, model, version.Version, version.Replicas, count);
        var silos = version.ReplicaSilos.IsDefault ? new List<SiloAddress>() : version.ReplicaSilos.Take(version.Replicas).ToList();
        var candidates = inferenceSilos.Preferred();
        var targets = ReplicaSpread.Targets(silos, candidates, added.Length, await FreeMemory(grains, candidates));
        var results = await Task.WhenAll(added.Select((r, i) => LoadOn(r, registration, i < targets.Count ? targets[i] : null)));
        silos.AddRange(results.Select(r => r.Silo));
        return version with { Replicas = count, ReplicaSilos = [.. silos], Signature = version.Signature ?? results[0].Signature };
    }

    /// <summary>Free memory budget per inference silo as last reported (at most a few seconds old); empty when the map cannot be read.</summary>
    private static async Task<IReadOnlyDictionary<SiloAddress, long>> FreeMemory(IGrainFactory grains, IReadOnlyCollection<SiloAddress> candidates)
    {
        try
        {
            // Silos report under their SiloAddress text, as this compares them.
            var reported = (await grains.GetGrain<IMemoryMapGrain>(0).Get()).ToDictionary(s => s.Silo, s => s.BudgetBytes - s.UsedBytes, StringComparer.Ordinal);
            return candidates.Where(c => reported.ContainsKey(c.ToString())).ToDictionary(c => c, c => reported[c.ToString()]);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // Placement then falls back to replica counts and addresses.
            return new Dictionary<SiloAddress, long>();
        }
    }

    private static async Task<ReplicaLoadResult> LoadOn(IReplicaGrain replica, VersionRegistration registration, SiloAddress? target)
    {
        // Set inside this method so that each concurrent load carries its own hint.
        if (target is not null) RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        try
        {
            return await replica.Load(registration);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Deactivates replicas <c>[from, to)</c>, which disposes their sessions.</summary>
    public Task Unload(IGrainFactory grains, string model, string version, int from, int to) =>
        Task.WhenAll(Replicas(grains, model, version, from, to).Select(r => r.Unload()));

    /// <summary>
    /// Deactivates the version's replicas, which disposes their sessions: those serving, and at least
    /// the initial ones (a load that failed part-way may have left some). Replicas beyond are never
    /// activated just to be unloaded: a fresh activation could take the place of one being placed.
    /// </summary>
    public Task Unload(IGrainFactory grains, string model, ModelVersionInfo version) =>
        Unload(grains, model, version.Version, 0, Math.Max(version.Replicas, version.Registration.Config.InitialReplicas));

    private static IReplicaGrain[] Replicas(IGrainFactory grains, string model, string version, int from, int to) =>
        [.. Enumerable.Range(from, Math.Max(0, to - from)).Select(i => grains.GetGrain<IReplicaGrain>(GrainKeys.Replica(model, version, i)))];

    /// <summary>Moves replicas that share a silo while another inference silo has fewer, so a version spreads as silos join.</summary>
    private async Task Spread(string model, IReplicaGrain[] replicas, SiloAddress[] silos, VersionRegistration registration)
    {
        foreach (var (index, target) in ReplicaSpread.Plan(silos, inferenceSilos.Preferred()))
        {
            await replicas[index].Unload();
            silos[index] = (await LoadOn(replicas[index], registration, target)).Silo;
            LogMoved(logger, model, registration.Version, index, silos[index].ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version}: replica {Index} moved to {Silo} to spread over inference silos")]
    private static partial void LogMoved(ILogger logger, string model, string version, int index, string silo);
}
