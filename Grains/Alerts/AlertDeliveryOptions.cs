using System.ComponentModel.DataAnnotations;

namespace Cluster.Alerts;

/// <summary>How alert webhooks are sent (section <c>Alerts:Webhooks</c>).</summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Alerts:Webhooks";

    /// <summary>Requests per transition and receiver, the first included, before it is logged as failed.</summary>
    [Range(1, 20)] public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the first retry; each later one waits twice the one before (1, 2, 4, 8, 16 s by default).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one request may take before it counts as failed and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Finished deliveries each receiver keeps for <c>GET /api/alerts/deliveries</c>.</summary>
    [Range(1, 10_000)] public int RecentDeliveries { get; set; } = 100;

    /// <summary>The longest one transition can keep its receiver's queue busy: every attempt timing out, every backoff waited.</summary>
    public TimeSpan Longest => AttemptTimeout * MaxAttempts + FirstRetryDelay * ((1L << (MaxAttempts - 1)) - 1);
}
