using Cluster.Errors;
using Cluster.Grains;
using Cluster.Rollouts;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Traffic;

/// <summary>Rollouts: start one from a plan, read the current one, pause, resume or abort it.</summary>
internal static class RolloutEndpoints
{
    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder admin)
    {
        admin.MapPost("/api/models/{model}/rollouts", async (HttpContext http, IGrainFactory grains, string model) =>
        {
            var plan = RolloutJson.Read(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
            var rollout = await Rollouts(grains, model).Start(plan);
            await Write(http, rollout, StatusCodes.Status201Created);
        });
        read.MapGet("/api/models/{model}/rollouts/current", async (HttpContext http, IGrainFactory grains, string model) =>
        {
            var rollout = await Rollouts(grains, model).GetCurrent() ?? throw new ModelNotFoundException($"Model '{model}' has had no rollout.");
            await Write(http, rollout, StatusCodes.Status200OK);
        });
        admin.MapPost("/api/models/{model}/rollouts/current/{action}", async (HttpContext http, IGrainFactory grains, string model, string action) =>
        {
            var rollouts = Rollouts(grains, model);
            var rollout = action switch
            {
                "pause" => await rollouts.Pause(),
                "resume" => await rollouts.Resume(),
                "abort" => await rollouts.Abort(),
                _ => throw new ModelNotFoundException($"Unknown rollout action '{action}'; use pause, resume or abort."),
            };
            await Write(http, rollout, StatusCodes.Status200OK);
        });
    }

    private static IRolloutGrain Rollouts(IGrainFactory grains, string model) => grains.GetGrain<IRolloutGrain>(model);

    private static Task Write(HttpContext http, RolloutInfo rollout, int status) =>
        JsonResults.Write(http.Response, status, RolloutJson.Body(rollout), TrafficJsonContext.Default.RolloutBody);
}
