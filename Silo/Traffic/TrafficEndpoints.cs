using Cluster.Silo.Gateway;

namespace Cluster.Silo.Traffic;

/// <summary><c>GET</c> and <c>PUT /api/models/{m}/traffic</c>: a model's traffic policy (weights, shadows, stickiness, bandit).</summary>
internal static class TrafficEndpoints
{
    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder admin)
    {
        read.MapGet("/api/models/{model}/traffic", async (HttpContext http, IGrainFactory grains, string model) =>
        {
            var info = await ModelLookup.Existing(grains, model);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, TrafficJson.Body(info), TrafficJsonContext.Default.TrafficBody);
        });
        admin.MapPut("/api/models/{model}/traffic", SetTraffic);
    }

    private static async Task SetTraffic(HttpContext http, IGrainFactory grains, string model)
    {
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        var traffic = TrafficJson.Read(body);
        await ModelLookup.Existing(grains, model);
        var info = await ModelLookup.Grain(grains, model).SetTraffic(traffic);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, TrafficJson.Body(info), TrafficJsonContext.Default.TrafficBody);
    }
}
