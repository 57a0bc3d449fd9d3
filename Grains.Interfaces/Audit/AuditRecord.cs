namespace Cluster.Audit;

/// <summary>One administrative change: who, what, when, before → after.</summary>
/// <param name="Id">Order of appending.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who: <c>key:&lt;id&gt;</c> through the gateway, <c>client</c> through the .NET client, <c>rollout:&lt;id&gt;</c> for a rollout's own steps, <c>anonymous</c> on an open gateway.</param>
/// <param name="Action">What, e.g. <c>traffic.set</c>, <c>version.upload</c>, <c>key.revoke</c>.</param>
/// <param name="Model">The model concerned, if any.</param>
/// <param name="Before">The state before, in words or JSON; null when there was none.</param>
/// <param name="After">The state after.</param>
[GenerateSerializer, Immutable, Alias("Cluster.AuditRecord")]
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string Action, string? Model, string? Before, string? After);
