namespace Cluster.Capture;

/// <summary>A captured request formatted for a store: the fields stores index by, and the record as one line of JSON.</summary>
/// <param name="Id">Request id.</param>
/// <param name="TraceId">32 hex digits of the request's trace, if it had one.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version that served it.</param>
/// <param name="CompletedAt">When it was answered; exports are ordered and filtered by it.</param>
/// <param name="RetentionDays">Days the record is kept.</param>
/// <param name="Json">The whole record, one line of UTF-8 JSON without the line break (<see cref="CaptureRecordJson"/>); valid while the store's <c>Append</c> runs.</param>
public sealed record CaptureRecord(string Id, string? TraceId, string Model, string Version, DateTimeOffset CompletedAt, int RetentionDays, ReadOnlyMemory<byte> Json)
{
    /// <summary>The first day on which the record may be pruned (UTC).</summary>
    public DateOnly ExpiresOn => DateOnly.FromDateTime(CompletedAt.UtcDateTime).AddDays(RetentionDays + 1);
}
