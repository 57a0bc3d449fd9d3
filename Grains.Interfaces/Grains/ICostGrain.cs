using Cluster.Cost;

namespace Cluster.Grains;

/// <summary>
/// Turns the versions' usage into utilization, estimated cost (at the prices of the <c>Cost</c>
/// configuration section) and right-sizing advice, and applies one piece of advice when an
/// operator asks; a stateless worker, key <see cref="GrainKeys.Registry"/>.
/// </summary>
[Alias("Cluster.ICostGrain")]
public interface ICostGrain : IGrainWithIntegerKey
{
    /// <summary>Every version's cost and the advice over <paramref name="window"/> (<c>1h</c>, <c>24h</c>, <c>7d</c>).</summary>
    [Alias("GetReport"), ReadOnly] Task<CostReport> GetReport(string window);

    /// <summary>
    /// Applies the <paramref name="kind"/> advice for a version as it stands now over <paramref name="window"/>, and answers it;
    /// <see cref="Errors.ConflictException"/> when the figures no longer give that advice.
    /// </summary>
    [Alias("Apply")] Task<CostRecommendation> Apply(string model, string version, string kind, string window);
}
