using Cluster.Grains;
using Cluster.Models;
using Cluster.Repository;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Observability;

/// <summary>Liveness and readiness probes of the v2 protocol.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", (HttpContext http) => Probe(http, true));
        app.MapGet("/v2/health/ready", async (HttpContext http, IGrainFactory grains, IServiceProvider services) =>
            await Probe(http, await IsReady(grains, services.GetService<RepositoryLoadState>())));
        return app;
    }

    /// <summary>Ready once start-up registration finished and no version is still loading.</summary>
    internal static async Task<bool> IsReady(IGrainFactory grains, RepositoryLoadState? loadState)
    {
        if (loadState is { InitialScanDone: false }) return false;
        var models = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List();
        var infos = await Task.WhenAll(models.Select(m => grains.GetGrain<IModelGrain>(m).GetInfo()));
        return infos.All(info => info.Versions.All(v => v.Status != VersionStatus.Loading));
    }

    private static Task Probe(HttpContext http, bool ok) =>
        JsonResults.Write(http.Response, ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean(http.Request.Path.Value!.EndsWith("live", StringComparison.Ordinal) ? "live" : "ready", ok);
            w.WriteEndObject();
        });
}
