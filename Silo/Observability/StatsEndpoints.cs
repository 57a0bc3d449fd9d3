using Cluster.Grains;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Observability;

/// <summary><c>GET /v2/models/{m}[/versions/{v}]/stats</c>: a version's statistics (Triton's statistics extension) and this silo's batch worker.</summary>
internal static class StatsEndpoints
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/v2/models/{model}/stats", (HttpContext http, IGrainFactory grains, RouterGrains routers, string model) => Stats(http, grains, routers, model, null));
        read.MapGet("/v2/models/{model}/versions/{version}/stats", Stats);
    }

    private static async Task Stats(HttpContext http, IGrainFactory grains, RouterGrains routers, string model, string? version)
    {
        var (info, entry) = await ModelLookup.Find(grains, model, version);
        var batching = routers.For(model).GetBatchingStats(entry.Version);
        var statistics = grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, entry.Version)).Get();
        await Task.WhenAll(batching, statistics);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, ModelStatsJson.Body(info.Name, entry.Version, batching.Result, statistics.Result), ObservabilityJsonContext.Default.StatsBody);
    }
}
