namespace Cluster.Alerts;

/// <summary>Persistent state of an <see cref="AlertDeliveryGrain"/>: its queue, what it has taken, what became of it.</summary>
[GenerateSerializer, Alias("Cluster.AlertDeliveryState")]
public sealed class AlertDeliveryState
{
    /// <summary>Transitions to send, oldest first; the first is the one in flight.</summary>
    [Id(0)] public List<PendingDelivery> Pending { get; set; } = [];

    /// <summary>Ids of the transitions taken, oldest first, bounded: what duplicates are recognised by.</summary>
    [Id(1)] public List<string> Taken { get; set; } = [];

    /// <summary>Finished deliveries, newest first, bounded.</summary>
    [Id(2)] public List<AlertDelivery> Recent { get; set; } = [];
}
