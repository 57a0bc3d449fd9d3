namespace Cluster.Cost;

/// <summary>What one silo's replicas of a version used in one calendar minute, on one device class.</summary>
/// <param name="Minute">Minutes since the Unix epoch (UTC).</param>
/// <param name="Silo">The silo the replicas ran on.</param>
/// <param name="Device">Device class: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Figures">The sums.</param>
/// <param name="Gpu">The CUDA device's name (e.g. <c>NVIDIA H200</c>) for <c>cuda</c>; null for <c>cpu</c> or when unknown.</param>
[GenerateSerializer, Immutable, Alias("Cluster.UsageBucket")]
public sealed record UsageBucket(long Minute, string Silo, string Device, UsageFigures Figures, string? Gpu = null);
