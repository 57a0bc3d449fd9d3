using System.Text.Json.Serialization;

namespace Cluster.Silo.Cost;

/// <summary>Source-generated serializers of the cost API's bodies, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CostJson.ReportBody))]
[JsonSerializable(typeof(CostJson.AppliedBody))]
internal sealed partial class CostJsonContext : JsonSerializerContext;
