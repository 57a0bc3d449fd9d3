using Cluster.Audit;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Scaling;

/// <summary>
/// One version's autoscaler. Batch workers report their load every second; a one-second timer
/// sums the fresh reports, applies <see cref="AutoscalePolicy"/> and asks the model grain to
/// scale. The replica count itself lives in the model's catalog (routers pass it to workers), so
/// this grain holds nothing that must survive it: a new activation reads the catalog and starts
/// its delay clocks afresh, which can only make it slower to act, never wrong. What it does keep is
/// the version's load per minute for a week (grain state, written once a minute), from which
/// <c>"predictive": true</c> scales up ahead of recurring peaks (<see cref="PredictiveScaling"/>).
/// Reentrant so that reports are taken while a scale change (which drains for seconds) is under way.
/// </summary>
[Reentrant]
public sealed partial class AutoscalerGrain(
    [PersistentState("autoscaler-load", ModelStorage.Name)] IPersistentState<LoadHistoryState> history,
    TimeProvider time,
    InferenceInstruments instruments,
    ILogger<AutoscalerGrain> logger) : Grain, IAutoscalerGrain
{
    private static readonly TimeSpan WriteHistoryEvery = TimeSpan.FromMinutes(1);
    // A silo whose worker stopped reporting (idle, deactivated, gone) counts as no load after this.
    private static readonly TimeSpan ReportsStayFresh = TimeSpan.FromSeconds(3);
    private const int DecisionsKept = 32;
    private const string Actor = "autoscaler";

    private readonly Dictionary<string, (LoadReport Report, DateTimeOffset At)> _reports = new(StringComparer.Ordinal);
    private readonly Queue<ScaleDecision> _decisions = new();
    private AutoscalerState? _state;
    private AutoscalingConfig? _settings;
    private Task<int>? _coldStart;
    private bool _scaling;
    private int _replicas;
    private int _desired;
    private double _load;
    private int _silos;
    private long _coldStarts;
    private double _lastColdStartMs;
    private double _maxColdStartMs;
    private TimeSpan _lastScaleUp;
    private long _historyWritten;
    private bool _historyDirty;
    private IDisposable? _gauges;
    private string _model = "";
    private string _version = "";

    private IModelGrain Model => GrainFactory.GetGrain<IModelGrain>(_model);
    private IModelVersionGrain Version => GrainFactory.GetGrain<IModelVersionGrain>(GrainKeys.Version(_model, _version));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_model, _version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _historyWritten = time.GetTimestamp();
        _gauges = instruments.TrackScaling(_model, _version, () => (_replicas, _desired, _load));
        // Keeps the activation (and its idle clock) alive while the workers that report to it are idle; it ends itself when the version stops autoscaling.
        this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _gauges?.Dispose();
        if (_historyDirty) await history.WriteStateAsync(cancellationToken);
    }

    public Task Report(string silo, LoadReport report)
    {
        _reports[silo] = (report, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<int> Demand() => _coldStart ??= ColdStart();

    public async Task<AutoscalerStatus> GetStatus()
    {
        if (_state is null) await ReadCatalog();
        return new AutoscalerStatus(_model, _version, _settings, _replicas, _desired, _load, _silos, [.. _decisions], _coldStarts, _lastColdStartMs, _maxColdStartMs);
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        var entry = await ReadCatalog();
        if (entry is not { Status: VersionStatus.Ready })
        {
            if (_coldStart is null) DeactivateOnIdle();
            return;
        }
        if (_settings is null)
        {
            _desired = _replicas;
            if (_coldStart is null) DeactivateOnIdle();
            return;
        }
        var now = time.GetUtcNow();
        await RecordLoad(now);
        if (_scaling || _coldStart is not null) return;
        // The catalog is the truth: an operator's scale or an eviction restarts the clocks from what serves now.
        var state = _state is { } known && known.Replicas == _replicas ? known : AutoscalerState.At(_replicas) with { IdleSince = _state?.IdleSince };
        (_state, var next, var reason) = AutoscalePolicy.Next(_settings, state, _load, now);
        _desired = _load > 0 || _replicas > 0 ? AutoscalePolicy.Desired(_settings, _load) : 0;
        var lookAhead = PredictiveScaling.LookAhead(TimeSpan.FromMilliseconds(_maxColdStartMs) > _lastScaleUp ? TimeSpan.FromMilliseconds(_maxColdStartMs) : _lastScaleUp);
        var forecast = _settings.Predictive ? SeasonalForecast.Peak(history.State.Minutes, now, lookAhead) : null;
        (next, reason, var predictive) = PredictiveScaling.Combine(_settings, _replicas, next, reason, forecast, lookAhead);
        if (next is { } count && count != _replicas) await Apply(count, reason ?? "autoscaling", predictive, forecast?.Load);
    }

    /// <summary>Adds this second's load to the minute's; the history is written once a minute, not every second.</summary>
    private async Task RecordLoad(DateTimeOffset now)
    {
        LoadHistory.Record(history.State.Minutes, now, _load);
        _historyDirty = true;
        if (time.GetElapsedTime(_historyWritten) < WriteHistoryEvery) return;
        _historyWritten = time.GetTimestamp();
        _historyDirty = false;
        await history.WriteStateAsync();
    }

    /// <summary>Reads the version's settings and replica count, and sums the load of the fresh reports.</summary>
    private async Task<ModelVersionInfo?> ReadCatalog()
    {
        var entry = (await Model.GetInfo()).FindVersion(_version);
        _settings = entry?.Registration.Config.Autoscaling;
        _replicas = entry?.Replicas ?? 0;
        var now = time.GetUtcNow();
        foreach (var stale in _reports.Where(r => now - r.Value.At > ReportsStayFresh).Select(r => r.Key).ToArray()) _reports.Remove(stale);
        _load = _reports.Values.Sum(r => r.Report.AverageOngoing);
        _silos = _reports.Count;
        _state ??= AutoscalerState.At(_replicas);
        return entry;
    }

    private async Task Apply(int count, string reason, bool predictive = false, double? forecast = null)
    {
        _scaling = true;
        var from = _replicas;
        try
        {
            AuditActor.Set(Actor);
            var started = time.GetTimestamp();
            var scaled = await Version.Scale(count, reason);
            // How long adding replicas takes is how far ahead a forecast must look.
            if (count > from) _lastScaleUp = time.GetElapsedTime(started);
            _replicas = scaled.Replicas;
            Record(from, scaled.Replicas, reason, predictive, forecast);
        }
        catch (Exception ex) when (ex is InferenceException or OrleansException or TimeoutException)
        {
            // The next tick decides again from the catalog.
            LogScaleFailed(logger, _model, _version, from, count, ex.Message);
            _state = null;
        }
        finally
        {
            _scaling = false;
        }
    }

    private async Task<int> ColdStart()
    {
        try
        {
            var entry = (await Model.GetInfo()).FindVersion(_version) ?? throw new ModelNotFoundException($"Model '{_model}' has no version {_version}.");
            if (entry.Status != VersionStatus.Ready) throw new ModelNotReadyException($"Model '{_model}' version {_version} is {entry.Status.ToString().ToLowerInvariant()}.");
            if (entry.Replicas > 0) return entry.Replicas;
            var started = time.GetTimestamp();
            AuditActor.Set(Actor);
            var scaled = await Version.Scale(entry.Registration.Config.ColdStartReplicas, "cold start: a request found no replica serving");
            var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
            _coldStarts++;
            _lastColdStartMs = elapsed;
            _maxColdStartMs = Math.Max(_maxColdStartMs, elapsed);
            _replicas = scaled.Replicas;
            _state = AutoscalerState.At(_replicas);
            Record(0, scaled.Replicas, $"cold start took {elapsed:F0} ms");
            return scaled.Replicas;
        }
        finally
        {
            _coldStart = null;
        }
    }

    private void Record(int from, int to, string reason, bool predictive = false, double? forecast = null)
    {
        if (from == to) return;
        _decisions.Enqueue(new ScaleDecision(time.GetUtcNow(), from, to, _load, reason, predictive, forecast));
        while (_decisions.Count > DecisionsKept) _decisions.Dequeue();
        instruments.RecordScaleChange(_model, _version, to > from);
        LogScaled(logger, _model, _version, from, to, _load, _silos, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Autoscaler of {Model} version {Version}: {From} → {To} replicas (load {Load:F1} ongoing over {Silos} silos): {Reason}")]
    private static partial void LogScaled(ILogger logger, string model, string version, int from, int to, double load, int silos, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Autoscaler of {Model} version {Version} could not scale {From} → {To}: {Reason}")]
    private static partial void LogScaleFailed(ILogger logger, string model, string version, int from, int to, string reason);
}
