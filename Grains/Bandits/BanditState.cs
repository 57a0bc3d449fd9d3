namespace Cluster.Bandits;

/// <summary>Persistent state of a <see cref="BanditGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.BanditState")]
public sealed class BanditState
{
    /// <summary>Exp3 log-weight per version.</summary>
    [Id(0)] public Dictionary<string, double> LogWeights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Feedback count and reward sum per version.</summary>
    [Id(1)] public Dictionary<string, (long Count, double Sum)> Rewards { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Feedback matched to a known request.</summary>
    [Id(2)] public long Matched { get; set; }

    /// <summary>Feedback for requests never seen or forgotten.</summary>
    [Id(3)] public long Unmatched { get; set; }
}
