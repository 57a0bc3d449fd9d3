using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Rollouts;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>Sets the A/B split of requests that name no version, e.g. <c>{"1": 90, "canary": 10}</c>; empty weights send all to the default.</summary>
    /// <param name="model">Model name.</param>
    /// <param name="weights">Relative weight per version or label.</param>
    /// <param name="sticky">Keep a routing key on one version while the weights stay the same.</param>
    /// <param name="shadows">Versions that get a sampled copy of requests, compared with the primary's answers and never returned.</param>
    /// <param name="bandit">When set, an Exp3 bandit shifts traffic between the weighted versions by the rewards posted with <see cref="SendFeedbackAsync"/>.</param>
    public Task<ModelInfo> SetTrafficAsync(string model, IReadOnlyDictionary<string, double> weights, bool sticky = true, IEnumerable<ShadowTarget>? shadows = null, Bandits.BanditSettings? bandit = null)
    {
        var policy = new TrafficPolicy(weights.ToImmutableDictionary(StringComparer.Ordinal), sticky, [.. shadows ?? []], Bandit: bandit);
        return _gateway?.SetTraffic(model, policy) ?? Acting<IModelGrain>(model).SetTraffic(policy);
    }

    /// <summary>Starts a rollout of a version in steps guarded by gates; refused (<see cref="Errors.ConflictException"/>) while one is active.</summary>
    public Task<RolloutInfo> StartRolloutAsync(string model, RolloutPlan plan) => _gateway?.StartRollout(model, plan) ?? Acting<IRolloutGrain>(model).Start(plan);

    /// <summary>The model's active rollout, else its last one; null when it never had one.</summary>
    public Task<RolloutInfo?> GetRolloutAsync(string model) => _gateway?.GetRollout(model) ?? Acting<IRolloutGrain>(model).GetCurrent();

    /// <summary>Holds the active rollout at its current weights.</summary>
    public Task<RolloutInfo> PauseRolloutAsync(string model) => _gateway?.ActOnRollout(model, "pause") ?? Acting<IRolloutGrain>(model).Pause();

    /// <summary>Continues a paused rollout.</summary>
    public Task<RolloutInfo> ResumeRolloutAsync(string model) => _gateway?.ActOnRollout(model, "resume") ?? Acting<IRolloutGrain>(model).Resume();

    /// <summary>Stops the active rollout and sends all traffic back to its baseline.</summary>
    public Task<RolloutInfo> AbortRolloutAsync(string model) => _gateway?.ActOnRollout(model, "abort") ?? Acting<IRolloutGrain>(model).Abort();

    /// <summary>A version's statistics merged across silos: totals and the last 1, 15 and 60 minutes (latency histograms, counts).</summary>
    /// <remarks>Through the gateway the windows carry counts and latency histograms; output distributions and input profiles are the drift API's.</remarks>
    public async Task<Statistics.VersionStatistics> GetStatisticsAsync(string model, string? version = null)
    {
        return await StatisticsOf(model, await VersionOf(model, version));
    }

    /// <summary>
    /// Posts a reward in [0, 1] for the answer to request <paramref name="requestId"/> (the id of the
    /// response), which the model's bandit learns from; false when the model served no such request in the last hour.
    /// </summary>
    public Task<bool> SendFeedbackAsync(string model, string requestId, double reward)
    {
        if (!(reward >= 0 && reward <= 1)) throw new ArgumentOutOfRangeException(nameof(reward), reward, "The reward must be in [0, 1].");
        return _gateway?.SendFeedback(model, requestId, reward) ?? Cluster().GetGrain<IBanditGrain>(model).Feedback(requestId, reward);
    }

    /// <summary>The bandit's arms: probabilities now, rewards received, feedback matched and not.</summary>
    public Task<Bandits.BanditStatus> GetBanditAsync(string model) => _gateway?.GetBandit(model) ?? Cluster().GetGrain<IBanditGrain>(model).GetStatus();

    /// <summary>Statistics of each version the current split sends traffic to (the default version when there is no split), keyed by version.</summary>
    public async Task<ImmutableDictionary<string, Statistics.VersionStatistics>> GetArmStatisticsAsync(string model)
    {
        var info = await GetModelAsync(model);
        var arms = info.Arms().Select(a => a.Version).ToList();
        var statistics = await Task.WhenAll(arms.Select(v => StatisticsOf(model, v)));
        return arms.Zip(statistics).ToImmutableDictionary(a => a.First, a => a.Second, StringComparer.Ordinal);
    }

    /// <summary>The version number <paramref name="version"/> (a number, a label, or null for the default) names.</summary>
    private async Task<string> VersionOf(string model, string? version) =>
        (await GetModelAsync(model)).Resolve(version)?.Version ?? throw new Errors.ModelNotFoundException($"Model '{model}' has no version or label '{version}'.");

    private Task<Statistics.VersionStatistics> StatisticsOf(string model, string version) =>
        _gateway?.GetStatistics(model, version) ?? Cluster().GetGrain<IModelStatsGrain>(GrainKeys.Version(model, version)).Get();

    /// <summary>How a shadow version's answers compared with the primary's, since it was first mirrored to.</summary>
    public async Task<Statistics.ShadowComparison> GetShadowComparisonAsync(string model, string version)
    {
        var resolved = await VersionOf(model, version);
        return _gateway is not null
            ? await _gateway.GetShadowComparison(model, resolved)
            : await Cluster().GetGrain<IShadowStatsGrain>(GrainKeys.Version(model, resolved)).Get();
    }
}
