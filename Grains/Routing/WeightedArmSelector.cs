namespace Cluster.Routing;

/// <summary>
/// Picks the version (arm) of a weighted split. With a routing key it uses weighted rendezvous
/// hashing: each arm scores weight / −ln(u) for a uniform u hashed from (key, arm) and the highest
/// wins, so a key stays on its arm while weights are unchanged, each arm gets its share of keys,
/// and a weight change moves only about the changed share of keys. Without a key it draws at random.
/// </summary>
public static class WeightedArmSelector
{
    /// <summary>The chosen arm; <paramref name="arms"/> must hold at least one positive weight.</summary>
    public static string Pick(IReadOnlyList<(string Arm, double Weight)> arms, string? routingKey, Random random)
    {
        if (routingKey is not null)
        {
            string? best = null;
            var bestScore = double.NegativeInfinity;
            foreach (var (arm, weight) in arms)
            {
                if (weight <= 0) continue;
                var score = weight / -Math.Log(Uniform(routingKey, arm));
                if (score > bestScore)
                {
                    bestScore = score;
                    best = arm;
                }
            }
            return best ?? throw new ArgumentException("No arm has a positive weight.", nameof(arms));
        }
        var total = arms.Sum(a => Math.Max(0, a.Weight));
        var draw = random.NextDouble() * total;
        foreach (var (arm, weight) in arms)
        {
            if (weight <= 0) continue;
            draw -= weight;
            if (draw < 0) return arm;
        }
        return arms.Last(a => a.Weight > 0).Arm;
    }

    /// <summary>A uniform number in (0, 1) from (key, arm): FNV-1a over both, then a SplitMix64 finaliser.</summary>
    private static double Uniform(string key, string arm)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key) hash = (hash ^ c) * 1099511628211UL;
        hash = (hash ^ '/') * 1099511628211UL;
        foreach (var c in arm) hash = (hash ^ c) * 1099511628211UL;
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return ((hash >> 11) + 0.5) / (1UL << 53);
    }
}
