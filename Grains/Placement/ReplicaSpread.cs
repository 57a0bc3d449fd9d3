namespace Cluster.Placement;

/// <summary>
/// Which replicas of a version to move so that its replicas sit on as many inference silos as
/// possible, fewest replicas first. Replicas are placed when they activate; one that activated
/// while fewer inference silos were up stays put until moved, and this says where.
/// </summary>
public static class ReplicaSpread
{
    /// <summary>Moves (replica index → target silo) that even out <paramref name="current"/> (silo of each replica, by index) over <paramref name="silos"/>.</summary>
    public static IReadOnlyList<(int Index, SiloAddress Target)> Plan(IReadOnlyList<SiloAddress> current, IReadOnlyCollection<SiloAddress> silos)
    {
        var moves = new List<(int, SiloAddress)>();
        if (silos.Count < 2 || current.Count < 2) return moves;
        var counts = silos.ToDictionary(s => s, _ => 0);
        foreach (var silo in current) counts[silo] = counts.GetValueOrDefault(silo) + 1;
        for (var index = current.Count - 1; index >= 0; index--)
        {
            var from = current[index];
            var target = counts.Where(c => silos.Contains(c.Key)).OrderBy(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal).First().Key;
            // A replica on a silo that is no longer an active inference silo always moves.
            if (silos.Contains(from) && counts[from] - counts[target] < 2) continue;
            counts[from]--;
            counts[target]++;
            moves.Add((index, target));
        }
        return moves;
    }

    /// <summary>
    /// Silos for <paramref name="added"/> new replicas: each to the silo with the fewest of the
    /// version's replicas so far; among those, the one with the most free memory budget (when known),
    /// so a cold start evicts nothing where another silo has room; then by address.
    /// </summary>
    public static IReadOnlyList<SiloAddress> Targets(IReadOnlyList<SiloAddress> current, IReadOnlyCollection<SiloAddress> silos, int added, IReadOnlyDictionary<SiloAddress, long>? freeBytes = null)
    {
        if (silos.Count == 0) return [];
        var counts = silos.ToDictionary(s => s, _ => 0);
        foreach (var silo in current.Where(counts.ContainsKey)) counts[silo]++;
        var targets = new List<SiloAddress>();
        for (var i = 0; i < added; i++)
        {
            var target = counts
                .OrderBy(c => c.Value)
                .ThenByDescending(c => freeBytes is not null && freeBytes.TryGetValue(c.Key, out var free) ? free : long.MinValue)
                .ThenBy(c => c.Key.ToString(), StringComparer.Ordinal)
                .First().Key;
            counts[target]++;
            targets.Add(target);
        }
        return targets;
    }
}
