namespace Cluster.Alerts;

/// <summary>A transition waiting to be sent to a receiver, as it was when queued.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.PendingDelivery")]
public sealed record PendingDelivery(AlertReceiver Receiver, AlertTransition Transition);
