namespace Cluster.Alerts;

/// <summary>An alert that was raised or cleared: what a webhook is sent.</summary>
/// <param name="Id">Identity of the transition (<c>&lt;alert id&gt;.raised</c> or <c>.cleared</c>): what receivers and delivery grains deduplicate by.</param>
/// <param name="AlertId">Identity of the alert, the same in its raised and cleared transitions.</param>
/// <param name="State"><c>raised</c> or <c>cleared</c>.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Kind"><c>drift_score</c>, <c>p99_latency_ms</c> or <c>error_rate</c>.</param>
/// <param name="Value">The reading that raised or cleared it.</param>
/// <param name="Threshold">The configured limit.</param>
/// <param name="RaisedAt">When the alert was raised.</param>
/// <param name="ClearedAt">When it cleared; null in a raised transition.</param>
[GenerateSerializer, Immutable, Alias("Cluster.AlertTransition")]
public sealed record AlertTransition(
    string Id,
    string AlertId,
    string State,
    string Model,
    string Version,
    string Kind,
    double Value,
    double Threshold,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ClearedAt)
{
    /// <summary>State of a transition that raised an alert.</summary>
    public const string Raised = "raised";

    /// <summary>State of a transition that cleared an alert.</summary>
    public const string Cleared = "cleared";

    /// <summary>When the transition happened.</summary>
    public DateTimeOffset At => ClearedAt ?? RaisedAt;
}
