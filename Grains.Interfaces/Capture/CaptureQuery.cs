namespace Cluster.Capture;

/// <summary>Which captured records of a model to export, oldest first.</summary>
/// <param name="Version">Only records of this version; null for every version.</param>
/// <param name="From">Only records completed at or after this time.</param>
/// <param name="To">Only records completed before this time.</param>
/// <param name="Limit">At most this many records.</param>
[GenerateSerializer, Immutable, Alias("Cluster.CaptureQuery")]
public sealed record CaptureQuery(string? Version, DateTimeOffset? From, DateTimeOffset? To, int Limit = CaptureQuery.DefaultLimit)
{
    /// <summary>Records exported when the caller names no limit.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The largest limit one export may ask for.</summary>
    public const int MaxLimit = 1_000_000;

    /// <summary>The query in words, for the audit log.</summary>
    public override string ToString() =>
        $"version={Version ?? "*"} from={From?.ToString("O") ?? "*"} to={To?.ToString("O") ?? "*"} limit={Limit}";
}
