using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Quality;

/// <summary>
/// A version's quality totals in grain state, merged from the joins of every silo (each delta is written before it is
/// acknowledged: labels come in batches, not per request), published as gauges on the silo it lives on, and handed to the version's
/// statistics grain, which judges the quality alert thresholds beside the others (one alert path: <c>/api/alerts</c>, logs, webhooks).
/// </summary>
public sealed class QualityStatsGrain(
    [PersistentState("quality-stats", ModelStorage.Name)] IPersistentState<QualityStatsState> state,
    QualityInstruments instruments) : Grain, IQualityStatsGrain
{
    public async Task Add(QualitySummary delta)
    {
        var tally = new QualityTally();
        tally.Add(state.State.Total);
        tally.Add(delta);
        state.State.Total = tally.ToSummary();
        await state.WriteStateAsync();
        await Publish();
    }

    public Task<QualitySummary> GetTotal() => Task.FromResult(state.State.Total);

    public override Task OnActivateAsync(CancellationToken cancellationToken) => state.State.Total.Labelled > 0 ? Publish() : Task.CompletedTask;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var (model, version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        instruments.Withdraw(model, version);
        return Task.CompletedTask;
    }

    private async Task Publish()
    {
        var (model, version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var entry = (await GrainFactory.GetGrain<IModelGrain>(model).GetInfo()).Resolve(version);
        if (entry?.Registration.Config.Quality is not { } config) return;
        var quality = QualityFigures.Of(version, config, state.State.Total);
        instruments.Publish(model, quality);
        if (entry.Registration.Config.Monitoring is { } monitoring && (monitoring.MinAccuracy is not null || monitoring.MaxMae is not null))
        {
            await GrainFactory.GetGrain<IModelStatsGrain>(this.GetPrimaryKeyString()).SetQuality(quality, monitoring);
        }
    }
}
