using System.Collections.Immutable;
using Cluster.Security;

namespace Cluster.Grains;

/// <summary>The cluster's API keys (hashed) in grain state; key: <see cref="GrainKeys.Registry"/>.</summary>
[Alias("Cluster.IApiKeyStoreGrain")]
public interface IApiKeyStoreGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a key; the answer holds the key, which is never shown again.</summary>
    [Alias("Create")] Task<CreatedApiKey> Create(string name, ApiKeyScope scopes, ImmutableArray<string> models);

    /// <summary>Revokes a key; requests with it get 401 within seconds.</summary>
    [Alias("Revoke")] Task<ApiKeyInfo> Revoke(string id);

    /// <summary>Replaces a key's secret, keeping its id, name and scopes; the old secret stops working.</summary>
    [Alias("Rotate")] Task<CreatedApiKey> Rotate(string id);

    /// <summary>Adds the configured bootstrap admin key (by its hash) when missing; true when it was added.</summary>
    [Alias("EnsureBootstrap")] Task<bool> EnsureBootstrap(string sha256);

    /// <summary>Creates the first admin key when the store has none and none was ever created; null otherwise.</summary>
    [Alias("CreateFirstAdmin")] Task<CreatedApiKey?> CreateFirstAdmin();

    /// <summary>Every key with its hash.</summary>
    [Alias("GetTable"), ReadOnly] Task<ApiKeyTable> GetTable();
}
