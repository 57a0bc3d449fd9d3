using System.Collections.Immutable;
using Cluster.Alerts;
using Cluster.Drift;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Statistics;

/// <summary>
/// Merges pushed summaries (never averages percentiles: histograms add) into a total and a ring of
/// per-minute deltas from which the 1, 15 and 60 minute windows are summed; builds the version's
/// drift reference from its first rows (or takes one from a sample set) and judges alert
/// thresholds on what it merges. State is written at most every 10 seconds, not per push.
/// </summary>
public sealed partial class ModelStatsGrain(
    [PersistentState("model-stats", ModelStorage.Name)] IPersistentState<ModelStatsState> state,
    TimeProvider time,
    InferenceInstruments instruments,
    ILogger<ModelStatsGrain> logger) : Grain, IModelStatsGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan JudgeEvery = TimeSpan.FromSeconds(2);
    // One more than the longest window: a window also takes the minute its start falls into.
    private const int MinutesKept = 61;
    private const int MinRequestsToJudge = 20;
    private const int MinValuesToJudgeDrift = 50;
    private const int MinLabelsToJudge = 20;
    // Transitions are few; this bounds the queue only while the webhooks grain cannot be reached at all.
    private const int UnsentKept = 100;
    private long _lastWrite;
    private long _lastJudged;
    private readonly List<AlertTransition> _unsent = [];
    // Sent by the quality statistics grain after each batch of labels; alerts it raised persist in state, the figures come again with the next batch.
    private VersionQuality? _quality;

    public async Task<DriftBinning?> Push(StatsDelta delta, MonitoringConfig monitoring)
    {
        delta = TakeInputs(delta, monitoring);
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var minutes = state.State.Minutes;
        if (minutes.Count > 0 && minutes[^1].Minute == minute) minutes[^1] = (minute, minutes[^1].Delta.Merge(delta));
        else minutes.Add((minute, delta));
        minutes.RemoveAll(m => m.Minute <= minute - MinutesKept);
        state.State.Total = state.State.Total.Merge(delta with { Inputs = null });
        if (time.GetElapsedTime(_lastJudged) >= JudgeEvery)
        {
            _lastJudged = time.GetTimestamp();
            Judge(monitoring);
        }
        if (_unsent.Count > 0) await SendTransitions();
        if (time.GetElapsedTime(_lastWrite) >= WriteEvery)
        {
            _lastWrite = time.GetTimestamp();
            await state.WriteStateAsync();
        }
        return monitoring.ReferenceRows > 0 ? state.State.Reference?.Binning : null;
    }

    /// <summary>Samples go toward the reference (never into windows); histograms stay in the delta when they match the reference.</summary>
    private StatsDelta TakeInputs(StatsDelta delta, MonitoringConfig monitoring)
    {
        if (delta.Inputs is not { } profile) return delta;
        var reference = state.State.Reference;
        if (reference is null && monitoring.ReferenceRows > 0 && !profile.Samples.IsEmpty)
        {
            ReferenceCollector.Collect(state.State, profile, delta.Outputs);
            if (state.State.CollectedRows >= monitoring.ReferenceRows)
            {
                state.State.Reference = ReferenceCollector.Build("first_requests", state.State.CollectedRows, time.GetUtcNow(), state.State.Collecting, state.State.CollectingOutputs);
                state.State.Collecting.Clear();
                state.State.CollectingOutputs.Clear();
                LogReference(logger, Key, "first_requests", state.State.CollectedRows);
            }
        }
        if (reference is null) return delta with { Inputs = null };
        if (profile.Epoch == reference.Epoch && !profile.Histograms.IsEmpty)
        {
            return delta with { Inputs = profile with { Samples = ImmutableDictionary<string, ImmutableArray<double>>.Empty } };
        }
        // A worker that has not heard of this reference yet sent samples: bin them here rather than lose that second.
        var binned = profile.Samples
            .Where(s => reference.Features.ContainsKey(s.Key))
            .ToImmutableDictionary(s => s.Key, s => DriftMath.Histogram(reference.Features[s.Key].Edges, s.Value), StringComparer.Ordinal);
        return delta with { Inputs = binned.IsEmpty ? null : new InputProfile(profile.Rows, reference.Epoch, ImmutableDictionary<string, ImmutableArray<double>>.Empty, binned) };
    }

    public Task<VersionStatistics> Get() =>
        Task.FromResult(new VersionStatistics(state.State.Total, Window(1), Window(15), Window(60)));

    public Task<ImmutableArray<MinutePoint>> GetHistory()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        return Task.FromResult<ImmutableArray<MinutePoint>>([.. state.State.Minutes
            .Where(m => m.Minute > now - 60)
            .Select(m => new MinutePoint(DateTimeOffset.FromUnixTimeSeconds(m.Minute * 60), m.Delta.Requests, m.Delta.Failure,
                m.Delta.Request.Percentile(0.50) * 1000, m.Delta.Request.Percentile(0.99) * 1000, MinuteDrift(m.Delta)))]);
    }

    /// <summary>The score of one minute against the reference, as <see cref="GetDrift"/> scores a window; null when nothing in it was profiled.</summary>
    private double? MinuteDrift(StatsDelta minute)
    {
        var report = DriftReporter.Report(state.State.Reference, state.State.CollectedRows, minute);
        return report.Features.IsEmpty && report.Outputs.IsEmpty ? null : report.Score;
    }

    public Task<DriftReport> GetDrift(string window) =>
        Task.FromResult(DriftReporter.Report(state.State.Reference, state.State.CollectedRows, Window(Minutes(window))));

    public async Task<DriftReport> SetReference(InputProfile samples, ImmutableDictionary<string, OutputDistribution> outputs)
    {
        var values = samples.Samples.ToDictionary(s => s.Key, s => s.Value.ToList(), StringComparer.Ordinal);
        state.State.Reference = ReferenceCollector.Build("sample_set", samples.Rows, time.GetUtcNow(), values, outputs);
        state.State.Collecting.Clear();
        state.State.CollectingOutputs.Clear();
        await state.WriteStateAsync();
        LogReference(logger, Key, "sample_set", samples.Rows);
        return DriftReporter.Report(state.State.Reference, state.State.CollectedRows, Window(15));
    }

    public async Task SetQuality(VersionQuality quality, MonitoringConfig monitoring)
    {
        _quality = quality;
        Judge(monitoring);
        if (_unsent.Count > 0) await SendTransitions();
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<ModelAlert>> GetAlerts() => Task.FromResult(state.State.Alerts.ToImmutableArray());

    /// <summary>Judges the thresholds on the last minute (latency, errors) and the last 15 minutes (drift), when there is enough to judge.</summary>
    private void Judge(MonitoringConfig monitoring)
    {
        var (model, version, _) = GrainKeys.Parse(Key);
        var minute = Window(1);
        double? p99 = minute.Success >= MinRequestsToJudge ? minute.Request.Percentile(0.99) * 1000 : null;
        double? errors = minute.Requests >= MinRequestsToJudge ? minute.ErrorRate : null;
        var drift = DriftReporter.Report(state.State.Reference, state.State.CollectedRows, Window(15));
        double? score = drift.Features.Sum(f => f.Rows) + drift.Outputs.Sum(o => o.Rows) >= MinValuesToJudgeDrift ? drift.Score : null;
        var labelled = _quality is { Labelled: >= MinLabelsToJudge } quality ? quality : null;
        var now = time.GetUtcNow();
        foreach (var (kind, threshold, value) in new[]
        {
            // The tracker judges "above a maximum"; a minimum accuracy is a maximum share of wrong answers.
            ("misclassification_rate", 1 - monitoring.MinAccuracy, 1 - labelled?.Accuracy),
            ("mae", monitoring.MaxMae, labelled?.Mae),
            ("disparity", monitoring.MaxDisparity, labelled?.Disparity),
            ("p99_latency_ms", monitoring.MaxP99Ms, p99),
            ("error_rate", monitoring.MaxErrorRate, errors),
            ("drift_score", monitoring.MaxDriftScore, score),
        })
        {
            if (AlertTracker.Update(state.State.Alerts, model, version, kind, threshold, value, now) is not { } change) continue;
            _unsent.Add(AlertTransitions.From(change.Alert));
            if (_unsent.Count > UnsentKept) _unsent.RemoveRange(0, _unsent.Count - UnsentKept);
            if (change.Raised)
            {
                instruments.RecordAlertRaised(model, version, kind);
                LogRaised(logger, model, version, kind, change.Alert.Value, change.Alert.Threshold);
            }
            else
            {
                LogCleared(logger, model, version, kind, change.Alert.Value, change.Alert.Threshold);
            }
        }
    }

    /// <summary>
    /// Hands raised and cleared alerts to the webhooks grain, the one door to every receiver. A transition
    /// it could not take stays queued here and goes with the next push, in order.
    /// </summary>
    private async Task SendTransitions()
    {
        var webhooks = GrainFactory.GetGrain<IAlertWebhooksGrain>(GrainKeys.Registry);
        while (_unsent.Count > 0)
        {
            try
            {
                await webhooks.Notify(_unsent[0]);
            }
            catch (Exception ex)
            {
                LogNotifyFailed(logger, _unsent[0].Id, ex);
                return;
            }
            _unsent.RemoveAt(0);
        }
    }

    private StatsDelta Window(int span)
    {
        // Buckets are calendar minutes: "the last minute" must reach into the previous bucket, or it is empty for a moment after every minute turns.
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        return state.State.Minutes.Where(m => m.Minute >= minute - span).Aggregate(StatsDelta.Empty, (sum, m) => sum.Merge(m.Delta));
    }

    private static int Minutes(string window) => window switch
    {
        "1m" => 1,
        "15m" => 15,
        "1h" => 60,
        _ => throw new Errors.InvalidInferenceRequestException($"Unknown window '{window}'; use 1m, 15m or 1h."),
    };

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drift reference of {Version} built from {Source} ({Rows} rows)")]
    private static partial void LogReference(ILogger logger, string version, string source, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert raised: model {Model} version {Version} {Kind} is {Value:F3}, above {Threshold:F3}")]
    private static partial void LogRaised(ILogger logger, string model, string version, string kind, double value, double threshold);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert transition {Transition} did not reach the webhooks grain; retrying with the next push")]
    private static partial void LogNotifyFailed(ILogger logger, string transition, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert cleared: model {Model} version {Version} {Kind} is {Value:F3}, back below {Threshold:F3}")]
    private static partial void LogCleared(ILogger logger, string model, string version, string kind, double value, double threshold);
}
