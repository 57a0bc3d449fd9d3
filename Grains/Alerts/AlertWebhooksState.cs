namespace Cluster.Alerts;

/// <summary>Persistent state of the <see cref="AlertWebhooksGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.AlertWebhooksState")]
public sealed class AlertWebhooksState
{
    /// <summary>The receivers, in the order they were given, secrets included.</summary>
    [Id(0)] public List<AlertReceiver> Receivers { get; set; } = [];
}
