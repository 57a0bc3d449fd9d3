using Cluster.Grains;
using Cluster.Models;
using Cluster.Silo.Gateway;
using Cluster.Silo.Security;

namespace Cluster.Silo.Observability;

/// <summary>
/// <c>GET /v2/models/{m}[/versions/{v}]/stats</c>: a version's statistics (Triton's statistics extension) and this silo's batch worker;
/// <c>GET /v2/models/stats</c>: every ready version of every model the caller's key may see, as Triton answers it.
/// </summary>
internal static class StatsEndpoints
{
    public static void Map(IEndpointRouteBuilder read)
    {
        // A literal segment outranks {model}, so this never reads as the metadata of a model named "stats".
        read.MapGet("/v2/models/stats", AllStats);
        read.MapGet("/v2/models/{model}/stats", (HttpContext http, IGrainFactory grains, RouterGrains routers, string model) => Stats(http, grains, routers, model, null));
        read.MapGet("/v2/models/{model}/versions/{version}/stats", Stats);
        VersionStatisticsEndpoint.Map(read);
    }

    private static async Task Stats(HttpContext http, IGrainFactory grains, RouterGrains routers, string model, string? version)
    {
        var (info, entry) = await ModelLookup.Find(grains, model, version);
        var batching = routers.For(model).GetBatchingStats(entry.Version);
        var statistics = grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, entry.Version)).Get();
        await Task.WhenAll(batching, statistics);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, ModelStatsJson.Body(info.Name, entry.Version, batching.Result, statistics.Result), ObservabilityJsonContext.Default.StatsBody);
    }

    private static async Task AllStats(HttpContext http, IGrainFactory grains, RouterGrains routers)
    {
        var names = await VisibleModels.List(http, grains);
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetInfo()));
        var versions = await Task.WhenAll(models
            .SelectMany(m => m.Versions.Where(v => v.Status == VersionStatus.Ready).Select(v => (Model: m.Name, v.Version)))
            .Select(async v =>
            {
                var batching = routers.For(v.Model).GetBatchingStats(v.Version);
                var statistics = grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(v.Model, v.Version)).Get();
                await Task.WhenAll(batching, statistics);
                return ModelStatsJson.Version(v.Model, v.Version, batching.Result, statistics.Result);
            }));
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, new ModelStatsJson.StatsBody(versions), ObservabilityJsonContext.Default.StatsBody);
    }
}
