namespace Cluster.Silo.Management;

/// <summary>The management API: models and versions (uploads, loads, labels, config), scaling, memory, audit log and API keys.</summary>
internal static class ManagementExtensions
{
    public static IEndpointRouteBuilder MapManagement(this IEndpointRouteBuilder app)
    {
        ManagementEndpoints.Map(app);
        ScalingEndpoints.Map(app);
        MemoryEndpoints.Map(app);
        AuditEndpoints.Map(app);
        KeyEndpoints.Map(app);
        return app;
    }
}
