using Microsoft.AspNetCore.Authorization;

namespace Cluster.Silo.Security;

/// <summary>
/// API keys as ASP.NET Core authentication (<see cref="ApiKeyAuthenticationHandler"/>) and one authorization
/// policy per scope (<see cref="ApiKeyPolicies"/>), which every endpoint group declares; per-key rate limits;
/// the key as the audit actor; the key table's cache and the first admin key.
/// </summary>
internal static class SecurityExtensions
{
    /// <summary>
    /// Registers the scheme and the policies on every silo (keys are checked only where <paramref name="keysRequired"/>: a
    /// gateway that requires them) and, on gateways (<paramref name="gateway"/>), the key cache's refresh and the bootstrap.
    /// </summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, SecuritySettings settings, bool keysRequired, bool gateway)
    {
        var enforced = keysRequired && gateway;
        services.AddSingleton(settings);
        services.AddSingleton<ApiKeyCache>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName).AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.Required = enforced);
        services.AddAuthorization(ApiKeyPolicies.Add);
        services.AddSingleton<IAuthorizationHandler, ApiKeyAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiKeyResultHandler>();
        if (enforced && settings.RequestsPerSecondPerKey > 0) services.AddRateLimiter(o => ApiKeyRateLimits.Configure(o, settings));
        if (!gateway) return services;
        // Registered after UseOrleans, so the silo is up when the key table is first read.
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyCache>());
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ApiKeyBootstrap>(sp, keysRequired));
        return services;
    }

    /// <summary>Authentication, the endpoints' policies, per-key rate limits and, on gateways, the audit actor, in that order.</summary>
    public static IApplicationBuilder UseSecurity(this IApplicationBuilder app, bool keysRequired, bool gateway)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        if (!gateway) return app;
        if (keysRequired && app.ApplicationServices.GetRequiredService<SecuritySettings>().RequestsPerSecondPerKey > 0) app.UseRateLimiter();
        return app.UseMiddleware<AuditActorMiddleware>(keysRequired);
    }
}
