using System.Collections.Immutable;
using Cluster.Grains;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>Creates an API key for the HTTP gateway; the answer holds the key, which is never shown again (through the gateway: an admin key's call).</summary>
    /// <param name="name">What the key is for.</param>
    /// <param name="scopes">What it may do.</param>
    /// <param name="models">Models it is limited to; none means all.</param>
    public Task<Security.CreatedApiKey> CreateApiKeyAsync(string name, Security.ApiKeyScope scopes, IEnumerable<string>? models = null)
    {
        ImmutableArray<string> limited = [.. models ?? []];
        return _gateway?.CreateKey(name, scopes, limited) ?? KeyStore().Create(name, scopes, limited);
    }

    /// <summary>Every key, revoked ones included; in-cluster with their hashes, through the gateway without (it never shows them).</summary>
    public async Task<ImmutableArray<Security.ApiKeyInfo>> ListApiKeysAsync() =>
        _gateway is not null ? await _gateway.ListKeys() : (await KeyStore().GetTable()).Keys;

    /// <summary>Revokes a key: gateways refuse it within 2 seconds.</summary>
    public Task<Security.ApiKeyInfo> RevokeApiKeyAsync(string id) =>
        _gateway?.RevokeKey(id) ?? KeyStore().Revoke(id);

    /// <summary>Gives a key a new secret, keeping its id and scopes; the old secret stops working within 2 seconds.</summary>
    public Task<Security.CreatedApiKey> RotateApiKeyAsync(string id) =>
        _gateway?.RotateKey(id) ?? KeyStore().Rotate(id);

    /// <summary>The cluster's key store, with this client set as the audit actor of the call that follows.</summary>
    private IApiKeyStoreGrain KeyStore([System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        var cluster = Cluster(operation);
        Audit.AuditActor.Set(Actor);
        return cluster.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry);
    }
}
