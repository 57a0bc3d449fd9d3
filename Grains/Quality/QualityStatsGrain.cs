using System.Collections.Immutable;
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
    QualityInstruments instruments,
    TimeProvider time) : Grain, IQualityStatsGrain
{
    // One more than the longest window: a window also takes the minute its start falls into.
    private const int MinutesKept = 61;

    public async Task Add(QualitySummary delta)
    {
        state.State.Total = Sum([state.State.Total, delta]);
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var minutes = state.State.Minutes;
        if (minutes.Count > 0 && minutes[^1].Minute == minute) minutes[^1] = (minute, Sum([minutes[^1].Summary, delta]));
        else minutes.Add((minute, delta));
        minutes.RemoveAll(m => m.Minute <= minute - MinutesKept);
        await state.WriteStateAsync();
        await Publish();
    }

    public Task<QualitySummary> Get(string window)
    {
        if (window == QualityReport.Total) return Task.FromResult(state.State.Total);
        var span = window switch
        {
            "1m" => 1,
            "15m" => 15,
            "1h" => 60,
            _ => throw new Errors.InvalidInferenceRequestException($"Unknown window '{window}'; use 1m, 15m, 1h or total."),
        };
        // Windows are by when labels arrived, in calendar minutes: "the last minute" reaches into the previous one, so it is never empty just after a minute turns.
        var now = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        return Task.FromResult(Sum(state.State.Minutes.Where(m => m.Minute >= now - span).Select(m => m.Summary)));
    }

    public Task<ImmutableArray<QualityMinute>> GetHistory()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        return Task.FromResult<ImmutableArray<QualityMinute>>([.. state.State.Minutes
            .Where(m => m.Minute > now - 60)
            .Select(m => new QualityMinute(DateTimeOffset.FromUnixTimeSeconds(m.Minute * 60), m.Summary))]);
    }

    private static QualitySummary Sum(IEnumerable<QualitySummary> summaries)
    {
        var tally = new QualityTally();
        foreach (var summary in summaries) tally.Add(summary);
        return tally.ToSummary();
    }

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
        if (entry.Registration.Config.Monitoring is { } monitoring && (monitoring.MinAccuracy is not null || monitoring.MaxMae is not null || monitoring.MaxDisparity is not null))
        {
            await GrainFactory.GetGrain<IModelStatsGrain>(this.GetPrimaryKeyString()).SetQuality(quality, monitoring);
        }
    }
}
