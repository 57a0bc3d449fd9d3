using System.Text.Json.Serialization;

namespace Cluster.Silo.Alerts;

/// <summary>Source-generated serializers of the webhook API's response bodies, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AlertWebhookJson.ReceiversBody))]
[JsonSerializable(typeof(AlertWebhookJson.DeliveriesBody))]
internal sealed partial class AlertsJsonContext : JsonSerializerContext;
