using System.Text.Json.Serialization;

namespace Cluster.Silo.Traffic;

/// <summary>Source-generated serializers of the traffic API's response bodies, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FeedbackEndpoints.FeedbackBody))]
[JsonSerializable(typeof(TrafficJson.TrafficBody))]
[JsonSerializable(typeof(RolloutJson.RolloutBody))]
[JsonSerializable(typeof(TrafficFiguresEndpoints.TrafficFiguresBody))]
[JsonSerializable(typeof(Cluster.Statistics.ShadowComparison))]
internal sealed partial class TrafficJsonContext : JsonSerializerContext;
