using Cluster.Alerts;

namespace Cluster.Grains;

/// <summary>
/// Sends alert transitions to one receiver, in order, each at most once, with retries; keeps the
/// recent outcomes. Key: the receiver's <see cref="AlertReceiver.Id"/>.
/// </summary>
[Alias("Cluster.IAlertDeliveryGrain")]
public interface IAlertDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Queues <paramref name="transition"/> for <paramref name="receiver"/>; false when this receiver already has it (a duplicate).</summary>
    [Alias("Enqueue")] Task<bool> Enqueue(AlertReceiver receiver, AlertTransition transition);

    /// <summary>Recent deliveries, newest first, and how many wait.</summary>
    [Alias("GetLog"), ReadOnly] Task<AlertDeliveryLog> GetLog();
}
