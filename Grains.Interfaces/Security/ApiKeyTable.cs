using System.Collections.Immutable;

namespace Cluster.Security;

/// <summary>Every key with its hash, as gateways cache it to check requests without a call per request.</summary>
/// <param name="Revision">Bumped on every change.</param>
/// <param name="Keys">All keys, revoked ones included (so a revoked key is told apart from an unknown one).</param>
[GenerateSerializer, Immutable, Alias("Cluster.ApiKeyTable")]
public sealed record ApiKeyTable(long Revision, ImmutableArray<ApiKeyInfo> Keys);
