using Cluster.Grains;
using Cluster.Silo.Gateway;
using Cluster.Statistics;

namespace Cluster.Silo.Observability;

/// <summary>
/// <c>GET /api/models/{m}/versions/{v}/statistics</c>: a version's statistics merged across silos, as the
/// .NET client reads them in-cluster: totals and the last 1, 15 and 60 minutes, each with counts and latency
/// histograms (request, queue, compute). Output distributions and input profiles stay with the drift API.
/// </summary>
internal static class VersionStatisticsEndpoint
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/api/models/{model}/versions/{version}/statistics", async (HttpContext http, IGrainFactory grains, string model, string version) =>
        {
            var (info, entry) = await ModelLookup.Find(grains, model, version);
            var statistics = await grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(info.Name, entry.Version)).Get();
            var body = new VersionStatistics(Counts(statistics.Total), Counts(statistics.LastMinute), Counts(statistics.Last15Minutes), Counts(statistics.LastHour));
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, ObservabilityJsonContext.Default.VersionStatistics);
        });
    }

    private static StatsDelta Counts(StatsDelta delta) => delta with { Outputs = null, Inputs = null };
}
