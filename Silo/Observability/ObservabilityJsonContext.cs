using System.Text.Json.Serialization;

namespace Cluster.Silo.Observability;

/// <summary>Source-generated serializers of the observability API's response bodies, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthEndpoints.LiveBody))]
[JsonSerializable(typeof(HealthEndpoints.ReadyBody))]
[JsonSerializable(typeof(DriftEndpoints.DriftBody))]
[JsonSerializable(typeof(DriftEndpoints.ReportBody))]
[JsonSerializable(typeof(DriftEndpoints.AlertsBody))]
[JsonSerializable(typeof(StatusEndpoints.StatusBody))]
[JsonSerializable(typeof(HistoryEndpoints.HistoryBody))]
[JsonSerializable(typeof(ModelStatsJson.StatsBody))]
[JsonSerializable(typeof(Cluster.Statistics.VersionStatistics))]
internal sealed partial class ObservabilityJsonContext : JsonSerializerContext;
