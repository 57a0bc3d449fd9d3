using Cluster.Security;
using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Security;

/// <summary>
/// The authorization policies endpoints declare, one per API-key scope (<see cref="ApiKeyRequirement"/>
/// on the user the default <see cref="ApiKeyAuthenticationHandler.SchemeName"/> scheme authenticated). Public endpoints declare
/// <c>AllowAnonymous</c> instead; paths no endpoint serves fall back to needing any valid key.
/// </summary>
internal static class ApiKeyPolicies
{
    /// <summary>Inference: <c>.../infer</c>, bandit feedback, gRPC <c>ModelInfer</c>.</summary>
    public const string Infer = "infer";

    /// <summary>Reading: metadata, listings, statistics, metrics.</summary>
    public const string Read = "read";

    /// <summary>Changing anything, and the keys, the audit log and the dashboard.</summary>
    public const string Admin = "admin";

    /// <summary>Exporting captured predictions (their payloads): the <c>capture</c> scope, or admin.</summary>
    public const string Capture = "capture";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Infer, For(ApiKeyScope.Infer));
        options.AddPolicy(Read, For(ApiKeyScope.Read));
        options.AddPolicy(Admin, For(ApiKeyScope.Admin));
        options.AddPolicy(Capture, For(ApiKeyScope.Capture));
        options.FallbackPolicy = For(ApiKeyScope.None);
    }

    // No scheme named: the policy reads the user that the authentication middleware (the key scheme is the default) already
    // set. A policy naming its scheme makes the authorization middleware authenticate each request a second time.
    private static AuthorizationPolicy For(ApiKeyScope scope) =>
        new AuthorizationPolicyBuilder().AddRequirements(new ApiKeyRequirement(scope)).Build();
}
