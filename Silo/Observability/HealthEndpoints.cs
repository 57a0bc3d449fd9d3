using Cluster.Repository;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Observability;

/// <summary>Liveness and readiness probes of the v2 protocol.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder open)
    {
        // A Func, not a RequestDelegate, so the endpoint carries the handler's metadata the API description reads.
        open.MapGet("/v2/health/live", (Func<HttpContext, Task>)(http =>
            JsonResults.Write(http.Response, StatusCodes.Status200OK, new LiveBody(true), ObservabilityJsonContext.Default.LiveBody)));
        open.MapGet("/v2/health/ready", async (HttpContext http, IGrainFactory grains, IServiceProvider services) =>
        {
            var ready = await Readiness.IsReady(grains, services.GetService<RepositoryLoadState>());
            await JsonResults.Write(http.Response, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new ReadyBody(ready), ObservabilityJsonContext.Default.ReadyBody);
        });
    }

    internal sealed record LiveBody(bool Live);

    internal sealed record ReadyBody(bool Ready);
}
