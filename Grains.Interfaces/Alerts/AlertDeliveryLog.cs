using System.Collections.Immutable;

namespace Cluster.Alerts;

/// <summary>A receiver's recent deliveries and what still waits to be sent to it.</summary>
/// <param name="Recent">Finished deliveries, newest first.</param>
/// <param name="Pending">Transitions queued or being sent (with retries) now.</param>
[GenerateSerializer, Immutable, Alias("Cluster.AlertDeliveryLog")]
public sealed record AlertDeliveryLog(ImmutableArray<AlertDelivery> Recent, int Pending);
