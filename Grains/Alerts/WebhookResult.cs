namespace Cluster.Alerts;

/// <summary>How a delivery ended.</summary>
/// <param name="StatusCode">The last HTTP status; null when no attempt got an answer.</param>
/// <param name="Attempts">Requests made, retries included.</param>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Error">Why the last attempt failed, when it did.</param>
public sealed record WebhookResult(int? StatusCode, int Attempts, bool Delivered, string? Error);
