using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Statistics;

/// <summary>
/// Merges pushed summaries (never averages percentiles: histograms add) into a total and a ring of
/// per-minute deltas from which the 1, 15 and 60 minute windows are summed. State is written at
/// most every 10 seconds, not per push.
/// </summary>
public sealed class ModelStatsGrain(
    [PersistentState("model-stats", ModelStorage.Name)] IPersistentState<ModelStatsState> state,
    TimeProvider time) : Grain, IModelStatsGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(10);
    private const int MinutesKept = 60;
    private long _lastWrite;

    public async Task Push(StatsDelta delta)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var minutes = state.State.Minutes;
        if (minutes.Count > 0 && minutes[^1].Minute == minute) minutes[^1] = (minute, minutes[^1].Delta.Merge(delta));
        else minutes.Add((minute, delta));
        minutes.RemoveAll(m => m.Minute <= minute - MinutesKept);
        state.State.Total = state.State.Total.Merge(delta);
        if (time.GetElapsedTime(_lastWrite) >= WriteEvery)
        {
            _lastWrite = time.GetTimestamp();
            await state.WriteStateAsync();
        }
    }

    public Task<VersionStatistics> Get()
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        StatsDelta Window(int span) => state.State.Minutes.Where(m => m.Minute > minute - span)
            .Aggregate(StatsDelta.Empty, (sum, m) => sum.Merge(m.Delta));
        return Task.FromResult(new VersionStatistics(state.State.Total, Window(1), Window(15), Window(60)));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
    }
}
