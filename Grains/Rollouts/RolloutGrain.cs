using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Statistics;
using Microsoft.Extensions.Logging;

namespace Cluster.Rollouts;

/// <summary>
/// Runs a model's rollout: every second it reads what the target and the baseline did in the
/// current step (differences of their merged statistics totals) and carries out what
/// <see cref="RolloutJudge.Decide"/> says: stay, advance, promote after the last step, or roll back
/// the moment a gate fails. The one-second timer lives only while the grain is active; a reminder
/// (every minute, the shortest Orleans allows) brings it back after a silo restart, and so does
/// the model grain when it activates.
/// </summary>
public sealed partial class RolloutGrain(
    [PersistentState("rollout", ModelStorage.Name)] IPersistentState<RolloutState> state,
    TimeProvider time,
    Audit.IAuditLog audit,
    ILogger<RolloutGrain> logger) : Grain, IRolloutGrain, IRemindable
{
    private const string ReminderName = "rollout";
    private static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(1);
    private const int MaxHistory = 200;

    private IGrainTimer? _timer;

    private string Model => this.GetPrimaryKeyString();

    private RolloutInfo? Current => state.State.Current;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Current?.Phase == RolloutPhase.Running) StartTicking();
        return Task.CompletedTask;
    }

    public async Task<RolloutInfo> Start(RolloutPlan plan)
    {
        if (Current is { IsActive: true } active) throw new ConflictException($"Rollout {active.Id} of '{Model}' is still {active.Phase.Name()}; abort it first.");
        var info = await ModelGrain.GetInfo();
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{Model}'.");
        RolloutPlanRules.Validate(plan);
        var target = info.Resolve(plan.Target) ?? throw new ModelNotFoundException($"Model '{Model}' has no version or label '{plan.Target}'.");
        if (target.Status != VersionStatus.Ready) throw new ModelNotReadyException($"Version {target.Version} of '{Model}' is {target.Status}, not ready to roll out.");
        RolloutPlanRules.ValidateFor(plan.Gates, target);
        var baseline = RolloutPlanRules.Baseline(info, plan, target.Version);
        if (info.Traffic?.Rollout is { } holder) throw new ConflictException($"Rollout {holder} of '{Model}' still holds its traffic.");

        var now = time.GetUtcNow();
        var id = $"{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var rollout = new RolloutInfo(id, Model, plan, target.Version, baseline, RolloutPhase.Running, 0, now, null,
            [new RolloutTransition(now, "started", 0, plan.Steps[0].Weight, $"rolling out {target.Version} over {baseline}", null)]);
        state.State.Current = rollout;
        await Snapshot(withQuality: target.Registration.Config.Quality is not null);
        await ModelGrain.ApplyRollout(id, Weights(rollout, plan.Steps[0].Weight), release: false);
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartTicking();
        LogTransition(logger, Model, id, "started", $"{target.Version} over {baseline}, first weight {plan.Steps[0].Weight}");
        await audit.Append("rollout.started", Model, null, $"rollout {id}: {target.Version} over {baseline}, steps {string.Join(" → ", plan.Steps.Select(s => $"{s.Weight}% for {s.Duration.TotalSeconds}s"))}");
        return rollout;
    }

    public Task<RolloutInfo?> GetCurrent() => Task.FromResult(Current);

    public async Task<RolloutInfo> Pause()
    {
        var rollout = Require(RolloutPhase.Running, "pause");
        state.State.ElapsedWhenPaused = time.GetUtcNow() - rollout.StepStartedAt;
        StopTicking();
        return await Record(rollout with { Phase = RolloutPhase.Paused }, "paused", "paused by an operator", rollout.Figures);
    }

    public async Task<RolloutInfo> Resume()
    {
        var rollout = Require(RolloutPhase.Paused, "resume");
        var resumed = rollout with { Phase = RolloutPhase.Running, StepStartedAt = time.GetUtcNow() - state.State.ElapsedWhenPaused };
        var result = await Record(resumed, "resumed", "resumed by an operator", rollout.Figures);
        StartTicking();
        return result;
    }

    public async Task<RolloutInfo> Abort()
    {
        var rollout = Current is { IsActive: true } active ? active : throw new ConflictException($"Model '{Model}' has no active rollout to abort.");
        return await Finish(rollout, RolloutPhase.Aborted, "aborted", "aborted by an operator; traffic back to the baseline", rollout.Figures);
    }

    public Task Wake() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Current?.Phase == RolloutPhase.Running) StartTicking();
        else if (Current is not { IsActive: true }) return UnregisterReminder();
        return Task.CompletedTask;
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        if (Current is not { Phase: RolloutPhase.Running } rollout) return;
        // What the rollout decides on its own is done in its name, in the audit log as everywhere.
        Audit.AuditActor.Set($"rollout:{rollout.Id}");
        var targetEntry = (await ModelGrain.GetInfo()).FindVersion(rollout.TargetVersion);
        var serving = targetEntry is { Status: VersionStatus.Ready };
        var (target, baseline) = await ReadTotals(rollout);
        var figures = RolloutJudge.Compare(target.Minus(state.State.TargetAtStepStart), baseline.Minus(state.State.BaselineAtStepStart));
        if (targetEntry?.Registration.Config.Quality is { } quality)
        {
            var (targetQuality, baselineQuality) = await ReadQuality(rollout);
            figures = RolloutJudge.WithQuality(figures, targetQuality.Minus(state.State.TargetQualityAtStart), baselineQuality.Minus(state.State.BaselineQualityAtStart), quality.Task);
        }
        rollout = rollout with { Figures = figures };
        state.State.Current = rollout;

        var decision = RolloutJudge.Decide(rollout, serving, figures, time.GetUtcNow());
        switch (decision.Move)
        {
            case RolloutMove.RollBack:
                await Finish(rollout, RolloutPhase.RolledBack, "rolled_back", decision.Reason, figures);
                break;
            case RolloutMove.Promote:
                await Finish(rollout, RolloutPhase.Promoted, "promoted", decision.Reason, figures);
                break;
            case RolloutMove.Advance:
                await ModelGrain.ApplyRollout(rollout.Id, Weights(rollout, rollout.Plan.Steps[decision.Step].Weight), release: false);
                state.State.TargetAtStepStart = target;
                state.State.BaselineAtStepStart = baseline;
                await Record(rollout with { Step = decision.Step, StepStartedAt = time.GetUtcNow() }, "advanced", decision.Reason, figures);
                break;
        }
    }

    private async Task<RolloutInfo> Finish(RolloutInfo rollout, RolloutPhase phase, string what, string reason, RolloutFigures? figures)
    {
        StopTicking();
        var winner = phase == RolloutPhase.Promoted ? rollout.TargetVersion : rollout.BaselineVersion;
        await ModelGrain.ApplyRollout(rollout.Id, ImmutableDictionary<string, double>.Empty.Add(winner, 100), release: true);
        var result = await Record(rollout with { Phase = phase }, what, reason, figures);
        await UnregisterReminder();
        return result;
    }

    private async Task<RolloutInfo> Record(RolloutInfo rollout, string what, string reason, RolloutFigures? figures)
    {
        var transition = new RolloutTransition(time.GetUtcNow(), what, rollout.Step, rollout.CurrentWeight, reason, figures);
        var history = rollout.History.Add(transition);
        if (history.Length > MaxHistory) history = history.RemoveRange(1, history.Length - MaxHistory);
        rollout = rollout with { History = history };
        state.State.Current = rollout;
        await state.WriteStateAsync();
        LogTransition(logger, Model, rollout.Id, what, reason);
        await audit.Append($"rollout.{what}", Model, null, $"rollout {rollout.Id} (target {rollout.TargetVersion}, baseline {rollout.BaselineVersion}), target weight {rollout.CurrentWeight}: {reason}");
        return rollout;
    }

    private async Task Snapshot(bool withQuality)
    {
        var (target, baseline) = await ReadTotals(Current!);
        state.State.TargetAtStepStart = target;
        state.State.BaselineAtStepStart = baseline;
        (state.State.TargetQualityAtStart, state.State.BaselineQualityAtStart) = withQuality ? await ReadQuality(Current!) : (QualitySums.Empty, QualitySums.Empty);
    }

    private async Task<(QualitySums Target, QualitySums Baseline)> ReadQuality(RolloutInfo rollout)
    {
        var target = GrainFactory.GetGrain<IQualityStatsGrain>(GrainKeys.Version(Model, rollout.TargetVersion)).Get(QualityReport.Total);
        var baseline = GrainFactory.GetGrain<IQualityStatsGrain>(GrainKeys.Version(Model, rollout.BaselineVersion)).Get(QualityReport.Total);
        return (QualitySums.Of(await target), QualitySums.Of(await baseline));
    }

    private async Task<(StatsDelta Target, StatsDelta Baseline)> ReadTotals(RolloutInfo rollout)
    {
        var target = GrainFactory.GetGrain<IModelStatsGrain>(GrainKeys.Version(Model, rollout.TargetVersion)).Get();
        var baseline = GrainFactory.GetGrain<IModelStatsGrain>(GrainKeys.Version(Model, rollout.BaselineVersion)).Get();
        return ((await target).Total, (await baseline).Total);
    }

    private static ImmutableDictionary<string, double> Weights(RolloutInfo rollout, double weight)
    {
        var weights = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        if (weight < 100) weights[rollout.BaselineVersion] = 100 - weight;
        if (weight > 0) weights[rollout.TargetVersion] = weight;
        return weights.ToImmutable();
    }

    private RolloutInfo Require(RolloutPhase phase, string action) =>
        Current is { } rollout && rollout.Phase == phase
            ? rollout
            : throw new ConflictException($"Model '{Model}' has no {phase.Name()} rollout to {action}.");

    private void StartTicking() =>
        _timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickEvery, TickEvery) { KeepAlive = true });

    private void StopTicking()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task UnregisterReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private IModelGrain ModelGrain => GrainFactory.GetGrain<IModelGrain>(Model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} rollout {Rollout} {Event}: {Reason}")]
    private static partial void LogTransition(ILogger logger, string model, string rollout, string @event, string reason);
}
