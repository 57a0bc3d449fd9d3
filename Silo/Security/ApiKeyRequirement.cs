using Cluster.Security;
using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Security;

/// <summary>A request needs a key holding <paramref name="Scope"/> (None: any valid key) and covering the route's <c>{model}</c>, when it has one.</summary>
internal sealed record ApiKeyRequirement(ApiKeyScope Scope) : IAuthorizationRequirement;
