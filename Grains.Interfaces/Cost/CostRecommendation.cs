using System.Collections.Immutable;

namespace Cluster.Cost;

/// <summary>
/// Right-sizing advice for a version: never applied by itself; an operator applies it with one call
/// (<see cref="Grains.ICostGrain.Apply"/>), which sets <see cref="Setting"/> to <see cref="Value"/>.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Kind">One of <see cref="RecommendationKinds"/>.</param>
/// <param name="Reason">The advice in words, with the figures it rests on.</param>
/// <param name="EstimatedSavingPerDay">What following it saves per day at the configured prices; negative when it costs more (an overloaded version).</param>
/// <param name="Figures">The figures it rests on, by name (e.g. <c>utilization</c>, <c>queue_ms</c>).</param>
/// <param name="Setting">What applying it changes: <c>replicas</c>, <c>min_replicas</c> or <c>max_batch_size</c>.</param>
/// <param name="Value">The value applying it sets.</param>
[GenerateSerializer, Immutable, Alias("Cluster.CostRecommendation")]
public sealed record CostRecommendation(
    string Model,
    string Version,
    string Kind,
    string Reason,
    double EstimatedSavingPerDay,
    ImmutableSortedDictionary<string, double> Figures,
    string Setting,
    int Value);

/// <summary>The kinds of right-sizing advice.</summary>
public static class RecommendationKinds
{
    /// <summary>Loaded, and no request over the window: scale to zero.</summary>
    public const string Unused = "unused";

    /// <summary>Busy for less of its loaded time than the configured floor: fewer replicas, or <c>min_replicas</c> 0.</summary>
    public const string UnderUtilized = "under_utilized";

    /// <summary>Requests wait in the queue longer than they compute: more replicas.</summary>
    public const string Overloaded = "overloaded";

    /// <summary>Batches are full while p95 latency is well under the target: a larger batch.</summary>
    public const string BatchingHeadroom = "batching_headroom";
}

/// <summary>The settings a recommendation can change.</summary>
public static class RecommendationSettings
{
    /// <summary>The version's replica count (scaled without a reload).</summary>
    public const string Replicas = "replicas";

    /// <summary>The model's <c>autoscaling.min_replicas</c> (the model's settings change and its versions reload).</summary>
    public const string MinReplicas = "min_replicas";

    /// <summary>The model's <c>max_batch_size</c> (the model's settings change and its versions reload).</summary>
    public const string MaxBatchSize = "max_batch_size";
}
