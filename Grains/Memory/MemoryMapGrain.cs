using System.Collections.Immutable;
using Cluster.Grains;

namespace Cluster.Memory;

/// <summary>Keeps each inference silo's latest memory figures; a silo not heard from for a while has left and drops out.</summary>
public sealed class MemoryMapGrain(TimeProvider time) : Grain, IMemoryMapGrain
{
    private static readonly TimeSpan Forget = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, (SiloMemory Memory, DateTimeOffset At)> _silos = new(StringComparer.Ordinal);

    public Task Push(SiloMemory memory)
    {
        _silos[memory.Silo] = (memory, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<SiloMemory>> Get()
    {
        var now = time.GetUtcNow();
        foreach (var gone in _silos.Where(s => now - s.Value.At > Forget).Select(s => s.Key).ToArray()) _silos.Remove(gone);
        return Task.FromResult<ImmutableArray<SiloMemory>>([.. _silos.Values.Select(s => s.Memory).OrderBy(m => m.Silo, StringComparer.Ordinal)]);
    }
}
