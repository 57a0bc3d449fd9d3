namespace Cluster.Silo.Security;

/// <summary>API keys on the gateway: the key table's cache, the first admin key, and the check of every request.</summary>
internal static class SecurityExtensions
{
    /// <summary>Registers the settings everywhere, and on gateways (<paramref name="gateway"/>) the key cache and the bootstrap.</summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, SecuritySettings settings, bool keysRequired, bool gateway)
    {
        services.AddSingleton(settings);
        if (!gateway) return services;
        // Registered after UseOrleans, so the silo is up when the key table is first read.
        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyCache>());
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ApiKeyBootstrap>(sp, keysRequired));
        return services;
    }

    /// <summary>Checks each request's key against the scope and model its path needs (<see cref="ApiKeyMiddleware"/>).</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app, bool keysRequired) =>
        app.UseMiddleware<ApiKeyMiddleware>(keysRequired);
}
