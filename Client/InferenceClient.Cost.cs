using Cluster.Cost;
using Cluster.Grains;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Every version's utilization and estimated cost over <paramref name="window"/> (<c>1h</c>, <c>24h</c> or <c>7d</c>), at the prices of the
    /// silos' <c>Cost</c> configuration, with right-sizing advice; advice is never applied by itself (<see cref="ApplyCostRecommendationAsync"/>).
    /// </summary>
    /// <exception cref="Errors.InvalidInferenceRequestException">An unknown window.</exception>
    public Task<CostReport> GetCostAsync(string window = CostWindow.Default) =>
        _gateway?.GetCost(window) ?? Cluster().GetGrain<ICostGrain>(GrainKeys.Registry).GetReport(window);

    /// <summary>Applies the <paramref name="kind"/> advice (<see cref="RecommendationKinds"/>) for a version as the figures over <paramref name="window"/> give it now, and answers what was applied.</summary>
    /// <exception cref="Errors.ConflictException">The figures no longer give that advice.</exception>
    public Task<CostRecommendation> ApplyCostRecommendationAsync(string model, string version, string kind, string window = CostWindow.Default) =>
        _gateway?.ApplyCostRecommendation(model, version, kind, window) ?? Cluster().GetGrain<ICostGrain>(GrainKeys.Registry).Apply(model, version, kind, window);
}
