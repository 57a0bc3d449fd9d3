using System.Text.Json;
using Cluster.Cli.Http;

namespace Cluster.Cli.Loadtest;

/// <summary>
/// The server's cumulative counters from <c>/v2/models/{m}[/versions/{v}]/stats</c> (Triton's
/// <c>inference_stats</c>): the difference of two readings splits a level's latency into time queued
/// in the batch worker and time computing.
/// </summary>
internal sealed record ServerStats(long Success, long QueueCount, long QueueNs, long ComputeCount, long ComputeNs)
{
    public static async Task<ServerStats?> ReadAsync(Gateway gateway, string model, string? version, CancellationToken cancellationToken)
    {
        var path = "/v2/models/" + PathSegments.Escape(model) + (version is null ? "" : "/versions/" + PathSegments.Escape(version)) + "/stats";
        try
        {
            var answer = await gateway.GetAsync(path, cancellationToken);
            var stats = JsonText.Items(answer ?? default, "model_stats").FirstOrDefault();
            var inference = JsonText.Child(stats, "inference_stats");
            if (inference.ValueKind != JsonValueKind.Object) return null;
            return new ServerStats(
                Count(inference, "success"), Count(inference, "queue"), Nanoseconds(inference, "queue"), Count(inference, "compute_infer"), Nanoseconds(inference, "compute_infer"));
        }
        catch (GatewayRefusedException)
        {
            return null; // A key without the read scope can still load-test; the split is then left out.
        }
    }

    /// <summary>
    /// Reads again until the server has counted what the level sent: batch workers push their
    /// summaries about once a second, so an immediate reading would miss the level's tail.
    /// </summary>
    public static async Task<ServerStats?> ReadSettledAsync(Gateway gateway, string model, string? version, ServerStats before, long sent, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (true)
        {
            var now = await ReadAsync(gateway, model, version, cancellationToken);
            if (now is null || now.Success - before.Success >= sent || DateTime.UtcNow >= deadline) return now;
            await Task.Delay(250, cancellationToken);
        }
    }

    public (double? QueueMs, double? ComputeMs) MeanSince(ServerStats before) => (
        Mean(QueueNs - before.QueueNs, QueueCount - before.QueueCount),
        Mean(ComputeNs - before.ComputeNs, ComputeCount - before.ComputeCount));

    private static double? Mean(long nanoseconds, long count) => count > 0 ? nanoseconds / (double)count / 1e6 : null;

    private static long Count(JsonElement inference, string name) => JsonText.Child(inference, name) is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("count", out var c) ? c.GetInt64() : 0;

    private static long Nanoseconds(JsonElement inference, string name) => JsonText.Child(inference, name) is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("ns", out var n) ? n.GetInt64() : 0;
}
