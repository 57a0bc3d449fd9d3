using Cluster.Grains;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Traffic;

/// <summary>
/// <c>GET /api/models/{m}/versions/{v}/shadow</c>: how a shadow version's answers compared with the
/// primary's since it was first mirrored to, raw (counts, latency histogram, per-output sums), as the
/// .NET client reads it in-cluster; <c>/traffic/figures</c> shows the same as percentiles and means.
/// </summary>
internal static class ShadowComparisonEndpoint
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/api/models/{model}/versions/{version}/shadow", async (HttpContext http, IGrainFactory grains, string model, string version) =>
        {
            var (info, entry) = await ModelLookup.Find(grains, model, version);
            var comparison = await grains.GetGrain<IShadowStatsGrain>(GrainKeys.Version(info.Name, entry.Version)).Get();
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, comparison, TrafficJsonContext.Default.ShadowComparison);
        });
    }
}
