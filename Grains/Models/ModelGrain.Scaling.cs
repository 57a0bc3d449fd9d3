using Cluster.Errors;
using Microsoft.Extensions.Logging;

namespace Cluster.Models;

/// <summary>A model grain's replica counts: scaling a version without a reload, and evicting one for memory.</summary>
public sealed partial class ModelGrain
{
    public async Task<ModelVersionInfo> Scale(string version, int count, string reason)
    {
        if (count is < 0 or > 64) throw new InvalidInferenceRequestException($"Replicas must be between 0 and 64, not {count}.");
        var gate = ScaleLock(version);
        await gate.WaitAsync();
        try
        {
            return await ScaleHoldingLock(version, count, reason, DrainTime);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<bool> Evict(string version, string reason)
    {
        // Never wait here: the version may be scaling up, its loads queued behind the very load that asks for this eviction.
        var gate = ScaleLock(version);
        if (!gate.Wait(0)) return false;
        try
        {
            if (!state.State.Versions.TryGetValue(version, out var entry) || entry.Status != VersionStatus.Ready || entry.Replicas == 0) return false;
            await ScaleHoldingLock(version, 0, reason, EvictionDrainTime);
            LogEvicted(logger, Name, version, reason);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim ScaleLock(string version)
    {
        if (!_scaleLocks.TryGetValue(version, out var gate)) _scaleLocks[version] = gate = new SemaphoreSlim(1, 1);
        return gate;
    }

    private async Task<ModelVersionInfo> ScaleHoldingLock(string version, int count, string reason, TimeSpan drain)
    {
        var entry = Find(version);
        if (entry.Status != VersionStatus.Ready) throw new ConflictException($"Version {version} of '{Name}' is {entry.Status.ToString().ToLowerInvariant()}; only a ready version can be scaled.");
        if (count == entry.Replicas) return entry;
        ModelVersionInfo scaled;
        if (count > entry.Replicas)
        {
            scaled = (await replicas.ScaleUp(GrainFactory, Name, entry, count)) with { Reason = null };
            if (!state.State.Versions.TryGetValue(version, out var current) || !ReferenceEquals(current, entry))
            {
                // Unloaded or replaced while the new replicas loaded: they must not stay behind holding sessions.
                if (current?.Status != VersionStatus.Ready) await replicas.Unload(GrainFactory, Name, version, entry.Replicas, count);
                return current ?? entry;
            }
            await Save(s => s.Versions[version] = scaled);
        }
        else
        {
            scaled = entry with
            {
                Replicas = count,
                ReplicaSilos = entry.ReplicaSilos.IsDefault ? entry.ReplicaSilos : [.. entry.ReplicaSilos.Take(count)],
                Reason = count == 0 ? $"scaled to zero: {reason}" : null,
            };
            // Out of the catalog first, so routers stop sending to the removed replicas before their sessions go.
            await Save(s => s.Versions[version] = scaled);
            if (drain > TimeSpan.Zero) await Task.Delay(drain);
            await replicas.Unload(GrainFactory, Name, version, count, entry.Replicas);
        }
        LogScaled(logger, Name, version, entry.Replicas, count, reason);
        await audit.Append("version.scale", Name, $"version {version} {entry.Replicas} replicas", $"version {version} {count} replicas ({reason})");
        return scaled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} evicted: {Reason}")]
    private static partial void LogEvicted(ILogger logger, string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} scaled from {From} to {To} replicas: {Reason}")]
    private static partial void LogScaled(ILogger logger, string model, string version, int from, int to, string reason);
}
