using System.Collections.Immutable;
using System.Globalization;
using Cluster.Models;
using Cluster.Statistics;

namespace Cluster.Cost;

/// <summary>
/// Right-sizing advice for one version, as a pure function of its cost over a window, its catalog entry and its latency
/// statistics of the last hour (queue wait and p95 are histograms the statistics grain keeps for an hour, not a week).
/// A version gets advice only while it serves, and only once each replica was loaded for <see cref="CostOptions.MinObservedSeconds"/>
/// of the window. Savings are per day at the configured prices.
/// </summary>
public static class RightSizing
{
    private const double FullBatchShare = 0.8;
    private const int MaxReplicas = 64;

    /// <summary>The advice for <paramref name="cost"/>'s version; empty when it is fine or not observed long enough.</summary>
    public static ImmutableArray<CostRecommendation> Advise(VersionCost cost, ModelVersionInfo entry, VersionStatistics? statistics, CostOptions options)
    {
        var replicas = entry.Replicas;
        var usage = cost.Usage;
        if (entry.Status != VersionStatus.Ready || replicas == 0 || usage.ReplicaSeconds < replicas * options.MinObservedSeconds) return [];
        var replicaPerDay = ReplicaPerDay(cost, options);
        var advice = ImmutableArray.CreateBuilder<CostRecommendation>();
        if (usage.Requests == 0)
        {
            advice.Add(Recommend(cost, RecommendationKinds.Unused,
                $"{replicas} replica(s) loaded for {usage.ReplicaSeconds:F0} replica-seconds and no request: scale to zero (the next request waits for a cold start) or unload it.",
                replicas * replicaPerDay, RecommendationSettings.Replicas, 0,
                ("replicas", replicas), ("replica_seconds", usage.ReplicaSeconds), ("requests", 0)));
            return advice.ToImmutable();
        }
        if (usage.Utilization < options.UtilizationFloor) advice.Add(UnderUtilized(cost, entry, replicaPerDay, options));
        if (statistics?.LastHour is { } hour && hour.Requests >= options.MinRequestsToJudge)
        {
            if (Overloaded(cost, entry, hour, replicaPerDay) is { } overloaded) advice.Add(overloaded);
            if (Headroom(cost, entry, hour, options) is { } headroom) advice.Add(headroom);
        }
        return advice.ToImmutable();
    }

    private static CostRecommendation UnderUtilized(VersionCost cost, ModelVersionInfo entry, double replicaPerDay, CostOptions options)
    {
        var replicas = entry.Replicas;
        var utilization = cost.Usage.Utilization;
        var needed = Math.Max(1, (int)Math.Ceiling(replicas * utilization / options.TargetUtilization - 1e-9));
        var figures = new[] { ("replicas", (double)replicas), ("utilization", utilization), ("utilization_floor", options.UtilizationFloor), ("busy_seconds", cost.Usage.BusySeconds), ("replica_seconds", cost.Usage.ReplicaSeconds) };
        if (needed < replicas)
        {
            return Recommend(cost, RecommendationKinds.UnderUtilized,
                $"busy {Percent(utilization)} of its loaded time (floor {Percent(options.UtilizationFloor)}): {needed} replica(s) would run at about {Percent(utilization * replicas / needed)}, under the {Percent(options.TargetUtilization)} aimed for.",
                (replicas - needed) * replicaPerDay, RecommendationSettings.Replicas, needed, figures);
        }
        // One replica cannot shrink further except to zero while idle; that saves at most the idle share of its time.
        return Recommend(cost, RecommendationKinds.UnderUtilized,
            $"one replica busy {Percent(utilization)} of its loaded time (floor {Percent(options.UtilizationFloor)}): set autoscaling min_replicas 0 so it unloads while idle, or share its device with another model; the saving is at most its idle share.",
            (1 - utilization) * replicaPerDay, RecommendationSettings.MinReplicas, 0, figures);
    }

    private static CostRecommendation? Overloaded(VersionCost cost, ModelVersionInfo entry, StatsDelta hour, double replicaPerDay)
    {
        var queue = hour.Queue.MeanSeconds;
        var compute = hour.Compute.MeanSeconds;
        if (compute <= 0 || queue <= compute) return null;
        var replicas = entry.Replicas;
        var ceiling = entry.Registration.Config.Autoscaling?.MaxReplicas ?? MaxReplicas;
        var wanted = Math.Min(Math.Max(replicas + 1, (int)Math.Ceiling(replicas * (queue + compute) / compute - 1e-9)), Math.Max(ceiling, replicas + 1));
        wanted = Math.Min(wanted, MaxReplicas);
        if (wanted <= replicas) return null;
        return Recommend(cost, RecommendationKinds.Overloaded,
            $"requests waited {queue * 1000:F1} ms in the queue on average over the last hour, longer than a batch computes ({compute * 1000:F1} ms): {wanted} replicas (or larger batches) would take the queue.",
            -(wanted - replicas) * replicaPerDay, RecommendationSettings.Replicas, wanted,
            ("replicas", replicas), ("queue_ms", queue * 1000), ("compute_ms", compute * 1000), ("requests_last_hour", hour.Requests));
    }

    private static CostRecommendation? Headroom(VersionCost cost, ModelVersionInfo entry, StatsDelta hour, CostOptions options)
    {
        var config = entry.Registration.Config;
        if (!config.Batching.IsAdaptive || config.MaxBatchSize <= 0 || hour.Batches == 0) return null;
        var p95Ms = hour.Request.Percentile(0.95) * 1000;
        var rowsPerBatch = (double)hour.Rows / hour.Batches;
        // A larger cap helps only where batches already fill the current one.
        if (p95Ms >= options.LatencyHeadroom * config.Batching.LatencyTargetMs || rowsPerBatch < FullBatchShare * config.MaxBatchSize) return null;
        var larger = config.MaxBatchSize * 2;
        return Recommend(cost, RecommendationKinds.BatchingHeadroom,
            $"p95 latency {p95Ms:F1} ms over the last hour is well under the {config.Batching.LatencyTargetMs:F0} ms target while batches fill {rowsPerBatch:F1} of {config.MaxBatchSize} rows: max_batch_size {larger} would let each replica take more load. The saving is not estimated; it shows as lower utilization afterwards.",
            0, RecommendationSettings.MaxBatchSize, larger,
            ("p95_ms", p95Ms), ("latency_target_ms", config.Batching.LatencyTargetMs), ("rows_per_batch", rowsPerBatch), ("max_batch_size", config.MaxBatchSize));
    }

    /// <summary>What one replica of the version costs a day: its device's price, plus its mean memory at the memory price.</summary>
    private static double ReplicaPerDay(VersionCost cost, CostOptions options)
    {
        var usage = cost.Usage;
        var meanBytes = usage.ReplicaSeconds > 0 ? usage.MemoryByteSeconds / usage.ReplicaSeconds : 0;
        return options.CostOf(cost.Device, new UsageFigures(86_400, 0, 0, 0, 0, meanBytes * 86_400));
    }

    private static CostRecommendation Recommend(VersionCost cost, string kind, string reason, double savingPerDay, string setting, int value, params (string Name, double Value)[] figures) =>
        new(cost.Model, cost.Version, kind, reason, Math.Round(savingPerDay, 6),
            figures.ToImmutableSortedDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal), setting, value);

    private static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
