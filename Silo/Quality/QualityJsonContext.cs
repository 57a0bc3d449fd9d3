using System.Text.Json.Serialization;

namespace Cluster.Silo.Quality;

/// <summary>Source-generated serializers of the quality API's response bodies, snake_case as on the wire, nulls left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GroundTruthEndpoints.GroundTruthBody))]
[JsonSerializable(typeof(QualityEndpoints.QualityBody))]
internal sealed partial class QualityJsonContext : JsonSerializerContext;
