using Cluster.Models;
using Cluster.Scaling;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Scaling;

/// <summary>
/// A version under simulated traffic on a fake clock, scaled by the same pure pieces, in the same order, as the autoscaler grain
/// (<see cref="LoadHistory"/>, <see cref="AutoscalePolicy"/>, <see cref="SeasonalForecast"/>, <see cref="PredictiveScaling"/>). The
/// version is a fluid queue: each ready replica serves <see cref="ServiceRate"/> requests a second, a replica added becomes ready
/// <c>replicaStart</c> after the decision (its load time), and load is what the batch workers report: requests in service plus queued.
/// </summary>
internal sealed class ScalingSimulation(AutoscalingConfig settings, TimeSpan replicaStart)
{
    public const double ServiceRate = 10;
    private readonly List<LoadMinute> _history = [];
    private readonly List<(DateTimeOffset ReadyAt, int Replicas)> _starting = [];
    private AutoscalerState _state = AutoscalerState.At(settings.MinReplicas);
    private double _queue;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Replicas decided (the catalog's count).</summary>
    public int Replicas { get; private set; } = settings.MinReplicas;

    /// <summary>Replicas loaded and serving.</summary>
    public int Ready { get; private set; } = settings.MinReplicas;

    public List<ScaleDecision> Decisions { get; } = [];

    /// <summary>Decisions where the combined count fell below the reactive rule's, or past the maximum; must stay empty.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Runs <paramref name="step"/> of traffic at <paramref name="arrivalsPerSecond"/> and answers how long a request arriving now waits in the queue, in seconds.</summary>
    public double Step(TimeSpan step, double arrivalsPerSecond)
    {
        var now = Clock.GetUtcNow();
        foreach (var started in _starting.Where(s => s.ReadyAt <= now).ToArray())
        {
            Ready = Math.Max(Ready, Math.Min(started.Replicas, Replicas));
            _starting.Remove(started);
        }
        var seconds = step.TotalSeconds;
        var capacity = Ready * ServiceRate;
        var served = Math.Min(_queue + arrivalsPerSecond * seconds, capacity * seconds);
        _queue += arrivalsPerSecond * seconds - served;
        var load = served / seconds / ServiceRate + _queue;
        var wait = capacity > 0 ? _queue / capacity : double.PositiveInfinity;

        LoadHistory.Record(_history, now, load);
        var state = _state.Replicas == Replicas ? _state : AutoscalerState.At(Replicas) with { IdleSince = _state.IdleSince };
        (_state, var next, var reason) = AutoscalePolicy.Next(settings, state, load, now);
        var lookAhead = PredictiveScaling.LookAhead(replicaStart);
        var forecast = settings.Predictive ? SeasonalForecast.Peak(_history, now, lookAhead) : null;
        var reactive = next ?? Replicas;
        (next, reason, var predictive) = PredictiveScaling.Combine(settings, Replicas, next, reason, forecast, lookAhead);
        if ((next ?? Replicas) < reactive || (next ?? Replicas) > settings.MaxReplicas) Violations.Add($"{now:O}: {next} against reactive {reactive}");
        if (next is { } count && count != Replicas)
        {
            Decisions.Add(new ScaleDecision(now, Replicas, count, load, reason ?? "", predictive, forecast?.Load));
            if (count > Replicas) _starting.Add((now + replicaStart, count));
            else Ready = Math.Min(Ready, count);
            Replicas = count;
        }
        Clock.Advance(step);
        return wait;
    }
}
