using Cluster.Repository;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Observability;

/// <summary>Liveness and readiness probes of the v2 protocol.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder open)
    {
        open.MapGet("/v2/health/live", (HttpContext http) => Probe(http, true));
        open.MapGet("/v2/health/ready", async (HttpContext http, IGrainFactory grains, IServiceProvider services) =>
            await Probe(http, await Readiness.IsReady(grains, services.GetService<RepositoryLoadState>())));
    }

    private static Task Probe(HttpContext http, bool ok) =>
        JsonResults.Write(http.Response, ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean(http.Request.Path.Value!.EndsWith("live", StringComparison.Ordinal) ? "live" : "ready", ok);
            w.WriteEndObject();
        });
}
