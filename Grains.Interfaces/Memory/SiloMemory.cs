using System.Collections.Immutable;

namespace Cluster.Memory;

/// <summary>An inference silo's memory budget and what holds it.</summary>
/// <param name="Silo">Silo address.</param>
/// <param name="Device">What the budget measures: <c>host</c> memory, or <c>cuda</c> device memory.</param>
/// <param name="BudgetBytes">Bytes replicas may hold on this silo.</param>
/// <param name="UsedBytes">Bytes the loaded replicas hold.</param>
/// <param name="Evictions">Versions this silo evicted to make room since it started.</param>
/// <param name="WaitingLoads">Loads queued for room now.</param>
/// <param name="Replicas">Loaded replicas, least recently used first.</param>
[GenerateSerializer, Immutable, Alias("Cluster.SiloMemory")]
public sealed record SiloMemory(string Silo, string Device, long BudgetBytes, long UsedBytes, long Evictions, int WaitingLoads, ImmutableArray<MemoryUse> Replicas);
