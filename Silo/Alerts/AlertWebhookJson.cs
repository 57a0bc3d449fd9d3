using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Alerts;
using Cluster.Errors;

namespace Cluster.Silo.Alerts;

/// <summary>The webhook API's JSON: the receiver list read from a request, and the bodies answered.</summary>
internal static class AlertWebhookJson
{
    /// <summary>Shown in place of a secret; sent back unchanged in a <c>PUT</c>, it keeps the secret stored for that URL.</summary>
    public const string Mask = "********";

    private const string Expected = "The body must be {\"receivers\": [{\"url\": \"https://...\", \"secret\": \"...\" (optional)}, ...]}.";

    /// <summary>Parses <c>{"receivers": [...]}</c>; a masked secret resolves to the one <paramref name="current"/> holds for the same URL.</summary>
    public static ImmutableArray<AlertReceiver> ReadReceivers(byte[] body, ImmutableArray<AlertReceiver> current)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("receivers", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidInferenceRequestException(Expected);
            }
            var receivers = ImmutableArray.CreateBuilder<AlertReceiver>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidInferenceRequestException(Expected);
                }
                var secret = item.TryGetProperty("secret", out var s) ? s.ValueKind switch
                {
                    JsonValueKind.String => s.GetString(),
                    JsonValueKind.Null => null,
                    _ => throw new InvalidInferenceRequestException(Expected),
                } : null;
                if (secret == Mask)
                {
                    secret = current.FirstOrDefault(r => r.Url == url.GetString())?.Secret
                        ?? throw new InvalidInferenceRequestException($"'{url.GetString()}' has no stored secret to keep; send the secret itself.");
                }
                receivers.Add(new AlertReceiver(url.GetString()!, secret));
            }
            return receivers.ToImmutable();
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    public static ReceiversBody Receivers(ImmutableArray<AlertReceiver> receivers) =>
        new([.. receivers.Select(r => new ReceiverBody(r.Id, r.Url, r.Secret is null ? null : Mask))]);

    public static DeliveryBody Delivery(AlertDelivery d) => new(
        d.ReceiverId, d.ReceiverUrl, d.Transition.Id, d.Transition.AlertId, d.Transition.State, d.Transition.Model, d.Transition.Version, d.Transition.Kind,
        d.StatusCode, d.Attempts, d.Delivered ? "delivered" : "failed", d.Error, d.At);

    /// <summary><c>{"receivers": [...]}</c>, in the order given.</summary>
    internal sealed record ReceiversBody(ReceiverBody[] Receivers);

    /// <summary>A receiver as shown: its secret, when it has one, as <see cref="Mask"/>.</summary>
    internal sealed record ReceiverBody(string Id, string Url, string? Secret);

    /// <summary>Each receiver's queue and the recent deliveries of all, newest first.</summary>
    internal sealed record DeliveriesBody(QueueBody[] Receivers, DeliveryBody[] Deliveries);

    internal sealed record QueueBody(string Id, string Url, int Pending);

    internal sealed record DeliveryBody(
        string ReceiverId, string Url, string Id, string AlertId, string State, string Model, string Version, string Kind,
        int? StatusCode, int Attempts, string Outcome, string? Error, DateTimeOffset Time);
}
