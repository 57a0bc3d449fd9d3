using Cluster.Errors;

namespace Cluster.Models;

/// <summary>What a traffic policy must satisfy before it is stored.</summary>
internal static class TrafficRules
{
    public static void Validate(ModelInfo info, TrafficPolicy traffic)
    {
        foreach (var (arm, weight) in traffic.Weights)
        {
            if (info.Resolve(arm) is null) throw new InvalidInferenceRequestException($"Traffic weight for '{arm}', which is no version or label of '{info.Name}'.");
            if (weight < 0 || !double.IsFinite(weight)) throw new InvalidInferenceRequestException($"Traffic weight for '{arm}' must be a finite number ≥ 0.");
        }
        if (traffic.Weights.Count > 0 && traffic.Weights.Values.Sum() <= 0) throw new InvalidInferenceRequestException("Traffic weights must not all be 0.");
        if (traffic.Bandit is { } bandit)
        {
            if (!(bandit.Exploration > 0 && bandit.Exploration <= 1)) throw new InvalidInferenceRequestException("The bandit's exploration must be in (0, 1].");
            if (traffic.Weights.Keys.Select(k => info.Resolve(k)?.Version).Distinct().Count() < 2) throw new InvalidInferenceRequestException("A bandit needs at least two versions in the weights to choose between.");
        }
        foreach (var shadow in traffic.ShadowTargets)
        {
            if (info.Resolve(shadow.Version) is null) throw new InvalidInferenceRequestException($"Shadow '{shadow.Version}' is no version or label of '{info.Name}'.");
            if (!(shadow.Fraction > 0 && shadow.Fraction <= 1)) throw new InvalidInferenceRequestException($"The fraction of shadow '{shadow.Version}' must be in (0, 1].");
        }
        if (traffic.ShadowTargets.Select(s => info.Resolve(s.Version)!.Version).Distinct().Count() != traffic.ShadowTargets.Length)
        {
            throw new InvalidInferenceRequestException("A version may be listed as a shadow only once.");
        }
    }
}
