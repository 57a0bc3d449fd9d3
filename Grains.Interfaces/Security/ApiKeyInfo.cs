using System.Collections.Immutable;

namespace Cluster.Security;

/// <summary>An API key as stored: never the key itself, only its SHA-256.</summary>
/// <param name="Id">Public identifier, part of the key (<c>ck_&lt;id&gt;_&lt;secret&gt;</c>) and of audit records.</param>
/// <param name="Name">What the operator called it.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Models">Models it is limited to; empty means all.</param>
/// <param name="Sha256">Hex SHA-256 of the whole key.</param>
/// <param name="CreatedAt">When it was created (or last rotated).</param>
/// <param name="RevokedAt">When it was revoked; null while valid.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ApiKeyInfo")]
public sealed record ApiKeyInfo(string Id, string Name, ApiKeyScope Scopes, ImmutableArray<string> Models, string Sha256, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>True until revoked.</summary>
    public bool IsActive => RevokedAt is null;

    /// <summary>Whether the key carries <paramref name="scope"/> (admin carries every scope).</summary>
    public bool Allows(ApiKeyScope scope) => scope == ApiKeyScope.None || (Scopes & (scope | ApiKeyScope.Admin)) != 0;

    /// <summary>Whether the key may touch <paramref name="model"/>.</summary>
    public bool Covers(string model) => Models.IsDefaultOrEmpty || Models.Contains(model, StringComparer.Ordinal);
}
