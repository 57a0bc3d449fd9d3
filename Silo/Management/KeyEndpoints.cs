using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Security;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;

namespace Cluster.Silo.Management;

/// <summary>API keys at runtime (admin scope): create (the key is shown once), list, revoke, rotate.</summary>
internal static class KeyEndpoints
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPost("/api/keys", async (HttpContext http, IGrainFactory grains, ApiKeyCache cache) =>
        {
            var (name, scopes, models) = Read(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
            var created = await Store(grains).Create(name, scopes, models);
            await cache.Refresh();
            await JsonResults.Write(http.Response, StatusCodes.Status201Created, Body(created.Info, created.Key), ManagementJsonContext.Default.KeyBody);
        });
        admin.MapGet("/api/keys", async (HttpContext http, IGrainFactory grains) =>
        {
            var table = await Store(grains).GetTable();
            var list = new KeyList([.. table.Keys.OrderBy(k => k.CreatedAt).Select(k => Body(k, null))]);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, list, ManagementJsonContext.Default.KeyList);
        });
        admin.MapDelete("/api/keys/{id}", async (HttpContext http, IGrainFactory grains, ApiKeyCache cache, string id) =>
        {
            var revoked = await Store(grains).Revoke(id);
            await cache.Refresh();
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, Body(revoked, null), ManagementJsonContext.Default.KeyBody);
        });
        admin.MapPost("/api/keys/{id}/rotate", async (HttpContext http, IGrainFactory grains, ApiKeyCache cache, string id) =>
        {
            var rotated = await Store(grains).Rotate(id);
            await cache.Refresh();
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, Body(rotated.Info, rotated.Key), ManagementJsonContext.Default.KeyBody);
        });
    }

    private static IApiKeyStoreGrain Store(IGrainFactory grains) => grains.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry);

    private static (string Name, ApiKeyScope Scopes, ImmutableArray<string> Models) Read(byte[] body)
    {
        const string expected = "The body must be {\"name\": \"...\", \"scopes\": [\"infer\" | \"read\" | \"admin\" | \"capture\", ...], \"models\": [\"...\"] (optional)}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("scopes", out var scopesJson) || scopesJson.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidInferenceRequestException(expected);
            }
            var scopes = ApiKeyScope.None;
            foreach (var scope in scopesJson.EnumerateArray())
            {
                scopes |= scope.ValueKind == JsonValueKind.String ? scope.GetString() switch
                {
                    "infer" => ApiKeyScope.Infer,
                    "read" => ApiKeyScope.Read,
                    "admin" => ApiKeyScope.Admin,
                    "capture" => ApiKeyScope.Capture,
                    var other => throw new InvalidInferenceRequestException($"Unknown scope '{other}'; use infer, read, admin or capture."),
                } : throw new InvalidInferenceRequestException(expected);
            }
            var models = ImmutableArray.CreateBuilder<string>();
            if (root.TryGetProperty("models", out var modelsJson) && modelsJson.ValueKind != JsonValueKind.Null)
            {
                if (modelsJson.ValueKind != JsonValueKind.Array) throw new InvalidInferenceRequestException(expected);
                foreach (var model in modelsJson.EnumerateArray())
                {
                    if (model.ValueKind != JsonValueKind.String || !Repository.ModelNames.IsValid(model.GetString()!)) throw new InvalidInferenceRequestException("Each model must be a valid model name.");
                    models.Add(model.GetString()!);
                }
            }
            return (name.GetString()!, scopes, models.ToImmutable());
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }

    private static KeyBody Body(ApiKeyInfo key, string? secret) => new(
        key.Id,
        key.Name,
        secret,
        [.. new[] { ApiKeyScope.Infer, ApiKeyScope.Read, ApiKeyScope.Admin, ApiKeyScope.Capture }.Where(s => key.Scopes.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant())],
        key.Models.IsDefault ? [] : [.. key.Models],
        key.CreatedAt,
        key.RevokedAt);

    /// <summary><c>{"keys": [...]}</c>, oldest first.</summary>
    internal sealed record KeyList(KeyBody[] Keys);

    /// <summary>A key as the API shows it; <paramref name="Key"/>, the secret, only when it was just created or rotated.</summary>
    internal sealed record KeyBody(
        string Id,
        string Name,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
        string[] Scopes,
        string[] Models,
        DateTimeOffset CreatedAt,
        DateTimeOffset? RevokedAt);
}
