using System.Text.Json;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Traffic;

/// <summary><c>POST /api/models/{m}/feedback</c> with <c>{"id": "&lt;request id&gt;", "reward": 0.7}</c>: a caller's reward for one answer, which a bandit learns from.</summary>
internal static class FeedbackEndpoints
{
    public static void Map(IEndpointRouteBuilder infer)
    {
        infer.MapPost("/api/models/{model}/feedback", async (HttpContext http, IGrainFactory grains, string model) =>
        {
            var (id, reward) = Read(await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted));
            var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
            if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{model}'.");
            if (info.Traffic?.Bandit is null) throw new ConflictException($"Model '{model}' runs no bandit; turn one on with PUT /api/models/{model}/traffic {{\"bandit\": true, ...}}.");
            if (!await grains.GetGrain<IBanditGrain>(model).Feedback(id, reward))
            {
                throw new ModelNotFoundException($"Model '{model}' served no request with id '{id}' in the last hour.");
            }
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, new FeedbackBody(id, Matched: true), TrafficJsonContext.Default.FeedbackBody);
        });
    }

    /// <summary>The answer: the request id the reward went to.</summary>
    internal sealed record FeedbackBody(string Id, bool Matched);

    private static (string Id, double Reward) Read(byte[] body)
    {
        const string expected = "The body must be {\"id\": \"<request id>\", \"reward\": <0-1>}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString())
                || !root.TryGetProperty("reward", out var reward) || reward.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidInferenceRequestException(expected);
            }
            var value = reward.GetDouble();
            if (!(value >= 0 && value <= 1)) throw new InvalidInferenceRequestException("The reward must be in [0, 1].");
            return (id.GetString()!, value);
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
    }
}
