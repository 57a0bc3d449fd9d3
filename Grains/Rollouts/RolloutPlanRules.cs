using Cluster.Errors;
using Cluster.Models;

namespace Cluster.Rollouts;

/// <summary>What a rollout plan must satisfy, and which version it replaces.</summary>
internal static class RolloutPlanRules
{
    public static void Validate(RolloutPlan plan)
    {
        if (plan.Steps.IsDefaultOrEmpty) throw new InvalidInferenceRequestException("A rollout needs at least one step.");
        foreach (var step in plan.Steps)
        {
            if (!(step.Weight > 0 && step.Weight <= 100)) throw new InvalidInferenceRequestException($"Step weight {step.Weight} must be in (0, 100].");
            if (step.Duration < TimeSpan.Zero) throw new InvalidInferenceRequestException("Step durations must not be negative.");
        }
        var gates = plan.Gates;
        if (gates.MinRequests < 0) throw new InvalidInferenceRequestException("min_requests must not be negative.");
        if (gates.MaxErrorRate is < 0 or > 1) throw new InvalidInferenceRequestException("max_error_rate must be in [0, 1].");
        if (gates.MaxP99LatencyRatio is <= 0) throw new InvalidInferenceRequestException("max_p99_latency_ratio must be positive.");
        if (gates.MaxDriftScore is < 0) throw new InvalidInferenceRequestException("max_drift_score must not be negative.");
        if (gates.MinAccuracyDelta is < -1 or > 1) throw new InvalidInferenceRequestException("min_accuracy_delta must be in [-1, 1] (a difference of accuracies, e.g. -0.02).");
        if (gates.MinLabels < 1) throw new InvalidInferenceRequestException("min_labels must be 1 or more.");
    }

    /// <summary>The accuracy gate compares classifications with their labels, so the target must be a classifier with a quality config.</summary>
    public static void ValidateFor(RolloutGates gates, ModelVersionInfo target)
    {
        if (gates.MinAccuracyDelta is not null && target.Registration.Config.Quality?.Task != QualityTask.Classification)
        {
            throw new InvalidInferenceRequestException($"min_accuracy_delta needs a \"quality\" config with \"task\": \"classification\"; version {target.Version} has none.");
        }
    }

    /// <summary>
    /// The version traffic goes back to: the plan's, else the heaviest arm of the current split,
    /// else the highest other ready version (a new upload is already the default, so the default
    /// is often the target itself).
    /// </summary>
    public static string Baseline(ModelInfo info, RolloutPlan plan, string target)
    {
        string? baseline;
        if (plan.Baseline is not null)
        {
            baseline = info.Resolve(plan.Baseline)?.Version ?? throw new ModelNotFoundException($"Model '{info.Name}' has no version or label '{plan.Baseline}'.");
        }
        else
        {
            baseline = info.Arms()
                .Where(a => a.Version != target && a.Weight > 0)
                .Select(a => a.Version)
                .FirstOrDefault()
                ?? info.Versions.Where(v => v.Version != target && v.Status == VersionStatus.Ready)
                    .OrderByDescending(v => long.Parse(v.Version, System.Globalization.CultureInfo.InvariantCulture))
                    .Select(v => v.Version)
                    .FirstOrDefault();
        }
        if (baseline is null) throw new InvalidInferenceRequestException($"Model '{info.Name}' has no other ready version to roll {target} out over.");
        if (baseline == target) throw new InvalidInferenceRequestException("The baseline and the target are the same version.");
        if (info.FindVersion(baseline)?.Status != VersionStatus.Ready) throw new ModelNotReadyException($"Baseline version {baseline} of '{info.Name}' is not ready.");
        return baseline;
    }
}
