using System.Collections.Immutable;

namespace Cluster.Cost;

/// <summary>Merging, pruning and summing the per-minute buckets a usage grain keeps.</summary>
public static class UsageBuckets
{
    /// <summary>Adds <paramref name="bucket"/> to <paramref name="buckets"/> (ordered by minute), merging it into the bucket of its minute, silo and device.</summary>
    public static void Merge(List<UsageBucket> buckets, UsageBucket bucket)
    {
        // Pushes carry recent minutes, so the search runs from the end.
        var at = buckets.Count;
        while (at > 0 && buckets[at - 1].Minute >= bucket.Minute)
        {
            var existing = buckets[at - 1];
            if (existing.Minute == bucket.Minute && existing.Silo == bucket.Silo && existing.Device == bucket.Device)
            {
                buckets[at - 1] = existing with { Figures = existing.Figures.Add(bucket.Figures), Gpu = bucket.Gpu ?? existing.Gpu };
                return;
            }
            at--;
        }
        buckets.Insert(at, bucket);
    }

    /// <summary>Drops buckets older than <paramref name="kept"/> before <paramref name="now"/>.</summary>
    public static void Prune(List<UsageBucket> buckets, DateTimeOffset now, TimeSpan kept)
    {
        var oldest = UsageMeter.Minute(now - kept);
        var stale = 0;
        while (stale < buckets.Count && buckets[stale].Minute < oldest) stale++;
        if (stale > 0) buckets.RemoveRange(0, stale);
    }

    /// <summary>The sums of the buckets of the last <paramref name="span"/>, in calendar minutes: the minute the span starts in counts whole.</summary>
    public static (UsageFigures Total, ImmutableArray<SiloUsage> Silos) Sum(IEnumerable<UsageBucket> buckets, DateTimeOffset now, TimeSpan span)
    {
        var from = UsageMeter.Minute(now - span);
        var inWindow = buckets.Where(b => b.Minute >= from).ToList();
        var total = inWindow.Aggregate(UsageFigures.Empty, (sum, b) => sum.Add(b.Figures));
        var silos = inWindow
            .GroupBy(b => (b.Silo, b.Device))
            .Select(g => new SiloUsage(g.Key.Silo, g.Key.Device, g.Aggregate(UsageFigures.Empty, (sum, b) => sum.Add(b.Figures)), g.LastOrDefault(b => b.Gpu is not null)?.Gpu))
            .OrderBy(s => s.Silo, StringComparer.Ordinal)
            .ThenBy(s => s.Device, StringComparer.Ordinal)
            .ToImmutableArray();
        return (total, silos);
    }
}
