using Cluster.Errors;
using Cluster.Rollouts;

namespace Cluster.Client.Remote;

/// <summary>Rollouts through the traffic API.</summary>
internal sealed partial class GatewayConnection
{
    public async Task<RolloutInfo> StartRollout(string model, RolloutPlan plan)
    {
        using var body = await Send(HttpMethod.Post, $"api/models/{Segment(model)}/rollouts", () => Json(RolloutJsonReader.PlanBody(plan)));
        return RolloutJsonReader.Rollout(body!.RootElement);
    }

    /// <summary>Null when the model never had a rollout, as in-cluster.</summary>
    public async Task<RolloutInfo?> GetRollout(string model)
    {
        try
        {
            using var body = await Send(HttpMethod.Get, $"api/models/{Segment(model)}/rollouts/current");
            return RolloutJsonReader.Rollout(body!.RootElement);
        }
        catch (ModelNotFoundException)
        {
            return null;
        }
    }

    /// <summary><paramref name="action"/>: pause, resume or abort.</summary>
    public async Task<RolloutInfo> ActOnRollout(string model, string action)
    {
        using var body = await Send(HttpMethod.Post, $"api/models/{Segment(model)}/rollouts/current/{action}");
        return RolloutJsonReader.Rollout(body!.RootElement);
    }
}
