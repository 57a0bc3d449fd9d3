using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Grains;
using Microsoft.Extensions.Logging;

namespace Cluster.Models;

/// <summary>
/// A model's catalog: versions as their grains report them, labels, model-wide settings and
/// traffic. Not reentrant and never waiting on a version grain, so each change is one short turn
/// and reads (<see cref="GetInfo"/>) only wait for a write, never for a load.
/// </summary>
public sealed partial class ModelGrain(
    [PersistentState("model", ModelStorage.Name)] IPersistentState<ModelState> state,
    Audit.IAuditLog audit,
    ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    private static readonly TimeSpan RebalancePeriod = TimeSpan.FromSeconds(5);

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Placement only happens at activation, so ask the ready versions now and then whether silos that joined since should take replicas.
        // The tick interleaves: it only waits on version grains, which record into this grain while they move replicas.
        this.RegisterGrainTimer(Rebalance, new GrainTimerCreationOptions(RebalancePeriod, RebalancePeriod) { Interleave = true, KeepAlive = false });
        // A rollout that was running when its silo went down resumes as soon as anything touches the model, not only at its next reminder.
        if (state.State.Traffic?.Rollout is not null) _ = GrainFactory.GetGrain<IRolloutGrain>(Name).Wake();
        return Task.CompletedTask;
    }

    private Task Rebalance(CancellationToken cancellationToken) =>
        Task.WhenAll(state.State.Versions.Values
            .Where(v => v.Status == VersionStatus.Ready && v.Replicas > 0)
            .Select(v => GrainFactory.GetGrain<IModelVersionGrain>(GrainKeys.Version(Name, v.Version)).Rebalance())
            .ToArray());

    public async Task<ModelVersionInfo> BeginVersion(VersionRegistration registration)
    {
        if (state.State.Config is { } modelConfig) registration = registration with { Config = modelConfig };
        var entry = ModelCatalog.Reloading(state.State.Versions.GetValueOrDefault(registration.Version), registration);
        await Save(s =>
        {
            s.Versions[registration.Version] = entry;
            foreach (var (label, version) in registration.Config.Labels) s.Labels.TryAdd(label, version);
        });
        await GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).Add(Name);
        return entry;
    }

    public Task RecordVersion(ModelVersionInfo version) => Save(s => s.Versions[version.Version] = version);

    public async Task<ModelVersionInfo> RemoveVersion(string version, bool force)
    {
        var entry = Find(version);
        if (!force && ModelCatalog.TrafficHolding(ModelCatalog.Describe(Name, state.State), version) is { } reason)
        {
            throw new ConflictException($"Version {version} of '{Name}' still serves traffic ({reason}); move the traffic first or delete with force=true.");
        }
        await Save(s =>
        {
            s.Versions.Remove(version);
            foreach (var label in s.Labels.Where(l => l.Value == version).Select(l => l.Key).ToArray()) s.Labels.Remove(label);
        });
        if (state.State.Versions.Count == 0) await GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).Remove(Name);
        return entry;
    }

    public async Task<ModelInfo> SetLabel(string label, string version)
    {
        if (ModelVersions.TryParse(label, out _)) throw new InvalidInferenceRequestException($"Label '{label}' looks like a version number.");
        if (!Repository.ModelNames.IsValid(label)) throw new InvalidInferenceRequestException($"Label '{label}' may hold only letters, digits, '.', '_' and '-'.");
        Find(version);
        var before = state.State.Labels.TryGetValue(label, out var previous) ? $"{label} → {previous}" : null;
        await Save(s => s.Labels[label] = version);
        await audit.Append("label.set", Name, before, $"{label} → {version}");
        return Describe();
    }

    public async Task<ModelInfo> SetConfig(ModelConfig config)
    {
        var before = state.State.Config;
        await Save(s => s.Config = config);
        await audit.Append("config.set", Name, before?.ToString(), config.ToString());
        return Describe();
    }

    public async Task<ModelInfo> SetTraffic(TrafficPolicy traffic)
    {
        if (state.State.Traffic?.Rollout is { } rollout)
        {
            throw new ConflictException($"Rollout {rollout} of '{Name}' controls its traffic; pause and abort it, or let it finish, before setting weights.");
        }
        TrafficRules.Validate(Describe(), traffic with { Rollout = null });
        var before = state.State.Traffic;
        await Save(s => s.Traffic = traffic.IsEmpty ? null : traffic with { Rollout = null });
        await audit.Append("traffic.set", Name, TrafficText.Describe(before), TrafficText.Describe(state.State.Traffic));
        LogTraffic(logger, Name, string.Join(", ", traffic.Weights.Select(w => $"{w.Key}={w.Value}")), traffic.Sticky);
        return Describe();
    }

    public async Task<ModelInfo> ApplyRollout(string rolloutId, ImmutableDictionary<string, double> weights, bool release)
    {
        if (state.State.Traffic?.Rollout is { } holder && holder != rolloutId)
        {
            throw new ConflictException($"Rollout {holder} of '{Name}' already controls its traffic.");
        }
        var current = state.State.Traffic ?? new TrafficPolicy(ImmutableDictionary<string, double>.Empty, Sticky: true);
        var traffic = current with { Weights = weights, Rollout = release ? null : rolloutId, Bandit = null };
        TrafficRules.Validate(Describe(), traffic);
        var before = state.State.Traffic;
        await Save(s => s.Traffic = traffic.IsEmpty ? null : traffic);
        await audit.Append("traffic.rollout", Name, TrafficText.Describe(before), TrafficText.Describe(state.State.Traffic));
        LogTraffic(logger, Name, string.Join(", ", weights.Select(w => $"{w.Key}={w.Value}")), traffic.Sticky);
        return Describe();
    }

    public Task<ModelInfo> GetInfo() => Task.FromResult(Describe());

    private ModelInfo Describe() => ModelCatalog.Describe(Name, state.State);

    private ModelVersionInfo Find(string version) =>
        state.State.Versions.TryGetValue(version, out var entry) ? entry : throw new ModelNotFoundException($"Model '{Name}' has no version {version}.");

    private Task Save(Action<ModelState> change)
    {
        change(state.State);
        state.State.Revision++;
        return state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} traffic set to {Weights} (sticky: {Sticky})")]
    private static partial void LogTraffic(ILogger logger, string model, string weights, bool sticky);
}
