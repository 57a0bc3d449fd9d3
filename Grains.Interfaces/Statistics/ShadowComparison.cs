using System.Collections.Immutable;

namespace Cluster.Statistics;

/// <summary>What one shadow version did with the requests mirrored to it, compared with the primary's answers.</summary>
/// <param name="Mirrored">Requests copied to the shadow.</param>
/// <param name="Failed">Of those, requests the shadow failed (errors, incompatible inputs, timeouts).</param>
/// <param name="Skipped">Requests not copied because too many copies were already in flight (the shadow is too slow to keep up).</param>
/// <param name="Latency">Time the shadow took per answered request, seen from the router.</param>
/// <param name="Outputs">Per output name, how far the shadow's values were from the primary's.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ShadowComparison")]
public sealed record ShadowComparison(long Mirrored, long Failed, long Skipped, LatencyHistogram Latency, ImmutableDictionary<string, OutputDifference> Outputs)
{
    /// <summary>Nothing seen.</summary>
    public static ShadowComparison Empty { get; } = new(0, 0, 0, LatencyHistogram.Empty, ImmutableDictionary<string, OutputDifference>.Empty);

    /// <summary>True when nothing was seen.</summary>
    public bool IsEmpty => Mirrored == 0 && Skipped == 0;
}
