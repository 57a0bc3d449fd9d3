using Cluster.Silo.Security;

namespace Cluster.Silo.Management;

/// <summary>The management API: models and versions (uploads, loads, labels, config), scaling, memory, audit log and API keys.</summary>
internal static class ManagementExtensions
{
    public static IEndpointRouteBuilder MapManagement(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Read);
        var admin = app.MapGroup("").RequireAuthorization(ApiKeyPolicies.Admin);
        ManagementEndpoints.Map(read, admin);
        ScalingEndpoints.Map(read, admin);
        MemoryEndpoints.Map(read);
        AuditEndpoints.Map(admin);
        KeyEndpoints.Map(admin);
        return app;
    }
}
