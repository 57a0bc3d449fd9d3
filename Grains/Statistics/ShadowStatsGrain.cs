using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Statistics;

/// <summary>Sums shadow comparisons pushed by routers; state is written at most every 10 seconds, not per push.</summary>
public sealed class ShadowStatsGrain(
    [PersistentState("shadow-stats", ModelStorage.Name)] IPersistentState<ShadowStatsState> state,
    TimeProvider time) : Grain, IShadowStatsGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(10);
    private long _lastWrite;

    public async Task Push(ShadowComparison delta)
    {
        state.State.Total = state.State.Total.Merge(delta);
        if (time.GetElapsedTime(_lastWrite) >= WriteEvery)
        {
            _lastWrite = time.GetTimestamp();
            await state.WriteStateAsync();
        }
    }

    public Task<ShadowComparison> Get() => Task.FromResult(state.State.Total);

    public async Task Reset()
    {
        state.State.Total = ShadowComparison.Empty;
        await state.WriteStateAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
    }
}
