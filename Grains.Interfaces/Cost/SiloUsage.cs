namespace Cluster.Cost;

/// <summary>What a version's replicas on one silo and device class used over a window.</summary>
/// <param name="Silo">The silo.</param>
/// <param name="Device">Device class: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Figures">The sums.</param>
/// <param name="Gpu">The CUDA device's name for <c>cuda</c>; null for <c>cpu</c> or when unknown.</param>
[GenerateSerializer, Immutable, Alias("Cluster.SiloUsage")]
public sealed record SiloUsage(string Silo, string Device, UsageFigures Figures, string? Gpu = null);
