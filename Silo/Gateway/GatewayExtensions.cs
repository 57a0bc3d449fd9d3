namespace Cluster.Silo.Gateway;

/// <summary>What every HTTP feature shares: the gateway's settings and its error bodies.</summary>
internal static class GatewayExtensions
{
    public static IServiceCollection AddGateway(this IServiceCollection services, GatewaySettings gateway) =>
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(gateway));

    /// <summary>Exceptions, and statuses routing answers without a body (no such path: 404, wrong method: 405), become <c>{"error": "..."}</c> bodies.</summary>
    public static IApplicationBuilder UseGatewayErrors(this IApplicationBuilder app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        return app.UseStatusCodePages(context => JsonResults.Error(context.HttpContext.Response, context.HttpContext.Response.StatusCode,
            $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} is not served here (HTTP {context.HttpContext.Response.StatusCode}); see docs/API.md."));
    }
}
