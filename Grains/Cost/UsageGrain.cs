using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Cost;

/// <summary>
/// A version's usage per minute, merged from every silo's pushes and kept for <see cref="CostWindow.Kept"/> in the catalog's grain
/// storage (PostgreSQL in cluster mode). A week of minutes is a large state, so it is written at most once a minute and when the
/// activation ends, not on every push: a silo lost without a graceful stop takes at most the last minute's figures with it.
/// </summary>
public sealed class UsageGrain(
    [PersistentState("usage", ModelStorage.Name)] IPersistentState<UsageState> state,
    TimeProvider time) : Grain, IUsageGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromMinutes(1);
    private long _lastWrite;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastWrite = time.GetTimestamp();
        return Task.CompletedTask;
    }

    public async Task Add(ImmutableArray<UsageBucket> buckets)
    {
        foreach (var bucket in buckets) UsageBuckets.Merge(state.State.Buckets, bucket);
        UsageBuckets.Prune(state.State.Buckets, time.GetUtcNow(), CostWindow.Kept);
        _dirty = true;
        if (time.GetElapsedTime(_lastWrite) >= WriteEvery) await Write();
    }

    public Task<VersionUsage> Get(TimeSpan span)
    {
        var (model, version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var (total, silos) = UsageBuckets.Sum(state.State.Buckets, time.GetUtcNow(), span);
        return Task.FromResult(new VersionUsage(model, version, total, silos));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await Write();
    }

    private async Task Write()
    {
        _lastWrite = time.GetTimestamp();
        _dirty = false;
        await state.WriteStateAsync();
    }
}
