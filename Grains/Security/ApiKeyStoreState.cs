namespace Cluster.Security;

/// <summary>Persistent state of the <see cref="ApiKeyStoreGrain"/>.</summary>
[GenerateSerializer, Alias("Cluster.ApiKeyStoreState")]
public sealed class ApiKeyStoreState
{
    /// <summary>Bumped on every change.</summary>
    [Id(0)] public long Revision { get; set; }

    /// <summary>Keys by id, revoked ones kept.</summary>
    [Id(1)] public Dictionary<string, ApiKeyInfo> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once a first admin key was generated, so it is printed only once per cluster.</summary>
    [Id(2)] public bool FirstAdminIssued { get; set; }
}
