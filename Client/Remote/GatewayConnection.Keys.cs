using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Security;

namespace Cluster.Client.Remote;

/// <summary>API keys through the management API (an admin key's calls). Listings carry no hashes: the gateway never shows them.</summary>
internal sealed partial class GatewayConnection
{
    private static readonly (ApiKeyScope Scope, string Name)[] ScopeNames =
        [(ApiKeyScope.Infer, "infer"), (ApiKeyScope.Read, "read"), (ApiKeyScope.Admin, "admin"), (ApiKeyScope.Capture, "capture")];

    public async Task<CreatedApiKey> CreateKey(string name, ApiKeyScope scopes, ImmutableArray<string> models)
    {
        var scopeNames = ScopeNames.Where(s => scopes.HasFlag(s.Scope)).Select(s => s.Name).ToArray();
        using var body = await Send(HttpMethod.Post, "api/keys", () => Json(new { name, scopes = scopeNames, models }));
        return Created(body!.RootElement);
    }

    public async Task<ImmutableArray<ApiKeyInfo>> ListKeys()
    {
        using var body = await Send(HttpMethod.Get, "api/keys");
        return [.. body!.RootElement.GetProperty("keys").EnumerateArray().Select(Key)];
    }

    public async Task<ApiKeyInfo> RevokeKey(string id)
    {
        using var body = await Send(HttpMethod.Delete, $"api/keys/{Segment(id)}");
        return Key(body!.RootElement);
    }

    public async Task<CreatedApiKey> RotateKey(string id)
    {
        using var body = await Send(HttpMethod.Post, $"api/keys/{Segment(id)}/rotate");
        return Created(body!.RootElement);
    }

    private static CreatedApiKey Created(JsonElement key) => new(Key(key), key.GetProperty("key").GetString()!);

    private static ApiKeyInfo Key(JsonElement key)
    {
        var scopes = ApiKeyScope.None;
        foreach (var scope in key.GetProperty("scopes").EnumerateArray())
        {
            scopes |= ScopeNames.FirstOrDefault(s => s.Name == scope.GetString()).Scope;
        }
        return new ApiKeyInfo(
            key.GetProperty("id").GetString()!,
            key.GetProperty("name").GetString()!,
            scopes,
            [.. key.GetProperty("models").EnumerateArray().Select(m => m.GetString()!)],
            Sha256: "",
            key.GetProperty("created_at").GetDateTimeOffset(),
            key.TryGetProperty("revoked_at", out var revoked) && revoked.ValueKind == JsonValueKind.String ? revoked.GetDateTimeOffset() : null);
    }
}
