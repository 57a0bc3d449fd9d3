using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>Per-model serving settings, from <c>config.json</c> beside the versions.</summary>
/// <param name="MaxBatchSize">Largest batch (rows) a replica runs; 0 means the model has a fixed batch dimension and is never batched.</param>
/// <param name="Replicas">Replicas per version.</param>
/// <param name="Device">Execution device for this model (<c>auto</c>, <c>cpu</c>, <c>cuda</c>), or null for the silo's setting.</param>
/// <param name="Labels">Version labels, e.g. <c>stable → 1</c>, usable in place of a version number.</param>
/// <param name="Batching">Queueing and dynamic batching settings.</param>
/// <param name="ResponseCacheEntries">Responses kept per silo for repeated identical requests (LRU); 0 turns the cache off.</param>
/// <param name="RequireAccelerator">Serve only on a silo with a CUDA device; without one the version is not ready, rather than slow on CPU.</param>
/// <param name="Monitoring">Drift reference size and alert thresholds; null means the defaults.</param>
/// <param name="Autoscaling">Replica count driven by load; null keeps <paramref name="Replicas"/> fixed.</param>
/// <param name="Pinned">Never evicted to make room for other versions when a silo's memory budget is full.</param>
/// <param name="MemoryBytes">Declared memory a replica takes; 0 means measure it while loading.</param>
/// <param name="Capture">Prediction capture; null (or a fraction of 0) records nothing.</param>
/// <param name="Quality">Model quality: what a prediction is, for the ground-truth join; null records nothing for it.</param>
/// <param name="DefaultVersion">
/// What requests that name no version get: null for the highest ready version, or a label's name
/// (e.g. <c>stable</c>): the version that label points at, so a new version serves nothing until a
/// label move, weights or a rollout gives it traffic.
/// </param>
/// <param name="VersionPolicy">Which repository versions load at all (Triton's <c>version_policy</c>); null loads every version.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ModelConfig")]
public sealed record ModelConfig(int MaxBatchSize, int Replicas, string? Device, ImmutableDictionary<string, string> Labels, BatchingConfig Batching, bool RequireAccelerator = false, int ResponseCacheEntries = 0, MonitoringConfig? Monitoring = null, AutoscalingConfig? Autoscaling = null, bool Pinned = false, long MemoryBytes = 0, CaptureConfig? Capture = null, QualityConfig? Quality = null, string? DefaultVersion = null, VersionPolicy? VersionPolicy = null)
{
    /// <summary>How config.json spells the default rule of today: the highest ready version.</summary>
    public const string HighestVersion = "highest";

    /// <summary>Settings used when a model has no config.json.</summary>
    public static ModelConfig Default { get; } = new(MaxBatchSize: 64, Replicas: 1, Device: null, Labels: ImmutableDictionary<string, string>.Empty, Batching: BatchingConfig.Off);

    /// <summary>Replicas a version loads with.</summary>
    public int InitialReplicas => Autoscaling?.Initial(Replicas) ?? Replicas;

    /// <summary>Replicas a version with none serving brings up for the request that found it so.</summary>
    public int ColdStartReplicas => Autoscaling?.ColdStart ?? Replicas;

    /// <summary>Highest replica index (exclusive) this config can have in use.</summary>
    public int MaxReplicas => Math.Max(Replicas, Autoscaling?.MaxReplicas ?? 0);
}
