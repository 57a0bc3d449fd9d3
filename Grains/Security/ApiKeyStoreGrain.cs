using System.Collections.Immutable;
using Cluster.Audit;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Security;

/// <summary>Creates, rotates and revokes API keys; only hashes are stored. Every change is audited.</summary>
public sealed class ApiKeyStoreGrain(
    [PersistentState("api-keys", ModelStorage.Name)] IPersistentState<ApiKeyStoreState> state,
    IAuditLog audit,
    TimeProvider time) : Grain, IApiKeyStoreGrain
{
    /// <summary>Id of the key configured as <c>Security:BootstrapAdminKey</c>.</summary>
    public const string BootstrapId = "bootstrap";

    public async Task<CreatedApiKey> Create(string name, ApiKeyScope scopes, ImmutableArray<string> models)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new InvalidInferenceRequestException("A key needs a name of 1 to 100 characters.");
        if (scopes == ApiKeyScope.None || (scopes & ~(ApiKeyScope.Infer | ApiKeyScope.Read | ApiKeyScope.Admin | ApiKeyScope.Capture)) != 0) throw new InvalidInferenceRequestException("A key needs one or more of the scopes infer, read, admin, capture.");
        var (id, key) = ApiKeys.New();
        while (state.State.Keys.ContainsKey(id)) (id, key) = ApiKeys.New();
        var info = new ApiKeyInfo(id, name, scopes, models.IsDefault ? [] : models, ApiKeys.Hash(key), time.GetUtcNow(), null);
        await Save(info);
        await audit.Append("key.create", null, null, Describe(info));
        return new CreatedApiKey(info, key);
    }

    public async Task<ApiKeyInfo> Revoke(string id)
    {
        var info = Find(id);
        if (!info.IsActive) return info;
        var revoked = info with { RevokedAt = time.GetUtcNow() };
        await Save(revoked);
        await audit.Append("key.revoke", null, Describe(info), Describe(revoked));
        return revoked;
    }

    public async Task<CreatedApiKey> Rotate(string id)
    {
        var info = Find(id);
        if (!info.IsActive) throw new ConflictException($"Key {id} is revoked; create a new one.");
        if (id == BootstrapId) throw new ConflictException("The bootstrap key comes from configuration; change Security:BootstrapAdminKey instead.");
        var (_, key) = ApiKeys.WithId(id);
        var rotated = info with { Sha256 = ApiKeys.Hash(key), CreatedAt = time.GetUtcNow() };
        await Save(rotated);
        await audit.Append("key.rotate", null, Describe(info), Describe(rotated));
        return new CreatedApiKey(rotated, key);
    }

    public async Task<bool> EnsureBootstrap(string sha256)
    {
        if (state.State.Keys.TryGetValue(BootstrapId, out var existing) && existing.Sha256 == sha256 && existing.IsActive) return false;
        await Save(new ApiKeyInfo(BootstrapId, "bootstrap (configuration)", ApiKeyScope.Admin, [], sha256, time.GetUtcNow(), null));
        await audit.Append("key.bootstrap", null, null, "admin key from Security:BootstrapAdminKey");
        return true;
    }

    public async Task<CreatedApiKey?> CreateFirstAdmin()
    {
        if (state.State.FirstAdminIssued || state.State.Keys.Values.Any(k => k.IsActive)) return null;
        state.State.FirstAdminIssued = true;
        return await Create("first admin", ApiKeyScope.Admin, []);
    }

    public Task<ApiKeyTable> GetTable() => Task.FromResult(new ApiKeyTable(state.State.Revision, [.. state.State.Keys.Values]));

    private ApiKeyInfo Find(string id) =>
        state.State.Keys.TryGetValue(id, out var info) ? info : throw new ModelNotFoundException($"No key with id '{id}'.");

    private async Task Save(ApiKeyInfo info)
    {
        state.State.Keys[info.Id] = info;
        state.State.Revision++;
        await state.WriteStateAsync();
    }

    private static string Describe(ApiKeyInfo info) =>
        $"{info.Id} \"{info.Name}\" scopes {info.Scopes}{(info.Models.IsDefaultOrEmpty ? "" : " models " + string.Join(",", info.Models))}{(info.IsActive ? "" : " revoked")}";
}
