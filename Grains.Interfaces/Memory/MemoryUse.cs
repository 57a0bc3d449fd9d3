namespace Cluster.Memory;

/// <summary>One loaded replica's share of a silo's memory budget.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Replica">Replica index.</param>
/// <param name="Bytes">Footprint counted against the budget.</param>
/// <param name="Measured">True when <paramref name="Bytes"/> was measured while loading; false when config.json declared it.</param>
/// <param name="Pinned">Never evicted.</param>
/// <param name="IdleSeconds">Seconds since the replica last ran a batch (or loaded).</param>
[GenerateSerializer, Immutable, Alias("Cluster.MemoryUse")]
public sealed record MemoryUse(string Model, string Version, int Replica, long Bytes, bool Measured, bool Pinned, double IdleSeconds);
