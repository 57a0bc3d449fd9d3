using System.Text.Json.Serialization;

namespace Cluster.Silo.Management;

/// <summary>Source-generated serializers of the management API's response bodies, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AuditEndpoints.AuditPage))]
[JsonSerializable(typeof(MemoryEndpoints.MemoryPage))]
[JsonSerializable(typeof(KeyEndpoints.KeyBody))]
[JsonSerializable(typeof(KeyEndpoints.KeyList))]
[JsonSerializable(typeof(ModelJson.ModelBody))]
[JsonSerializable(typeof(ModelJson.ModelBody[]))]
[JsonSerializable(typeof(ModelJson.VersionBody))]
[JsonSerializable(typeof(ManagementEndpoints.RepositoryEntry[]))]
[JsonSerializable(typeof(ScalingEndpoints.AutoscalerBody))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
