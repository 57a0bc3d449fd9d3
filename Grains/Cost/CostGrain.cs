using System.Collections.Immutable;
using Cluster.Audit;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Statistics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Cost;

/// <summary>
/// Gathers every version's usage (from its usage grain), prices it and advises on it. Stateless: the figures live in the usage and
/// statistics grains, the prices in each silo's configuration (the same everywhere, as all configuration is).
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class CostGrain(IOptions<CostOptions> options, ILogger<CostGrain> logger) : Grain, ICostGrain
{
    private const string Actor = "cost advice";

    public async Task<CostReport> GetReport(string window)
    {
        var span = CostWindow.Parse(window);
        var names = await GrainFactory.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List();
        var models = await Task.WhenAll(names.Select(n => GrainFactory.GetGrain<IModelGrain>(n).GetInfo()));
        var versions = await Task.WhenAll(models.SelectMany(m => m.Versions.Select(v => Assess(m.Name, v, span))));
        return new CostReport(window,
            [.. versions.Select(v => v.Cost).OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Version, StringComparer.Ordinal)],
            [.. versions.SelectMany(v => v.Advice).OrderByDescending(a => a.EstimatedSavingPerDay).ThenBy(a => a.Model, StringComparer.Ordinal).ThenBy(a => a.Version, StringComparer.Ordinal)]);
    }

    public async Task<CostRecommendation> Apply(string model, string version, string kind, string window)
    {
        var span = CostWindow.Parse(window);
        var info = await GrainFactory.GetGrain<IModelGrain>(model).GetInfo();
        var entry = info.Resolve(version) ?? throw new ModelNotFoundException(info.Exists ? $"Model '{model}' has no version or label '{version}'." : $"Unknown model '{model}'.");
        var (_, advice) = await Assess(model, entry, span);
        var chosen = advice.FirstOrDefault(a => a.Kind == kind)
            ?? throw new ConflictException($"Model '{model}' version {entry.Version} has no '{kind}' advice over {window} now (advice: {(advice.IsEmpty ? "none" : string.Join(", ", advice.Select(a => a.Kind)))}).");
        var reason = $"{Actor} ({chosen.Kind}): {chosen.Setting} {chosen.Value}";
        switch (chosen.Setting)
        {
            case RecommendationSettings.Replicas:
                await GrainFactory.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, entry.Version)).Scale(chosen.Value, reason);
                break;
            case RecommendationSettings.MinReplicas:
                var config = entry.Registration.Config;
                var autoscaling = (config.Autoscaling ?? new AutoscalingConfig(0, Math.Max(1, entry.Replicas), AutoscalingConfig.DefaultTargetQueuePerReplica,
                    AutoscalingConfig.DefaultUpscaleDelaySeconds, AutoscalingConfig.DefaultDownscaleDelaySeconds, AutoscalingConfig.DefaultIdleSecondsBeforeZero)) with { MinReplicas = chosen.Value };
                await GrainFactory.SetConfigAndReload(model, config with { Autoscaling = autoscaling });
                break;
            case RecommendationSettings.MaxBatchSize:
                await GrainFactory.SetConfigAndReload(model, entry.Registration.Config with { MaxBatchSize = chosen.Value });
                break;
        }
        LogApplied(logger, model, entry.Version, chosen.Kind, chosen.Setting, chosen.Value, AuditActor.Current);
        return chosen;
    }

    private async Task<(VersionCost Cost, ImmutableArray<CostRecommendation> Advice)> Assess(string model, ModelVersionInfo entry, TimeSpan span)
    {
        var key = GrainKeys.Version(model, entry.Version);
        var serving = entry is { Status: VersionStatus.Ready, Replicas: > 0 };
        var usageTask = GrainFactory.GetGrain<IUsageGrain>(key).Get(span);
        // Latency histograms matter only to a version that serves; asking a stats grain of an idle version would wake it for nothing.
        var statisticsTask = serving ? GrainFactory.GetGrain<IModelStatsGrain>(key).Get() : Task.FromResult<VersionStatistics>(null!);
        var usage = await usageTask;
        var statistics = await statisticsTask;
        var cost = CostCalculator.Of(usage, entry.Replicas, DeviceClass.Of(entry.ExecutionProvider), options.Value);
        return (cost, serving ? RightSizing.Advise(cost, entry, statistics, options.Value) : []);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cost advice applied to model {Model} version {Version}: {Kind}, {Setting} set to {Value} by {Actor}")]
    private static partial void LogApplied(ILogger logger, string model, string version, string kind, string setting, int value, string actor);
}
