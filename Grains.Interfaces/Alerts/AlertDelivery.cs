namespace Cluster.Alerts;

/// <summary>What became of one transition sent to one receiver.</summary>
/// <param name="ReceiverId">The receiver's <see cref="AlertReceiver.Id"/>.</param>
/// <param name="ReceiverUrl">Where it was sent.</param>
/// <param name="Transition">What was sent.</param>
/// <param name="StatusCode">The last HTTP status the receiver answered; null when no attempt got an answer.</param>
/// <param name="Attempts">Requests made, retries included.</param>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Error">Why the last attempt failed, when it did.</param>
/// <param name="At">When the delivery finished.</param>
[GenerateSerializer, Immutable, Alias("Cluster.AlertDelivery")]
public sealed record AlertDelivery(
    string ReceiverId,
    string ReceiverUrl,
    AlertTransition Transition,
    int? StatusCode,
    int Attempts,
    bool Delivered,
    string? Error,
    DateTimeOffset At);
