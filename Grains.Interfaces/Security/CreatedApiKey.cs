namespace Cluster.Security;

/// <summary>A key just created or rotated: the only time the key itself is shown.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.CreatedApiKey")]
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);
