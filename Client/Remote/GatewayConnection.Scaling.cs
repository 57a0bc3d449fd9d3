using System.Text.Json;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Scaling;

namespace Cluster.Client.Remote;

/// <summary>A version's autoscaler and its gateway's batch worker, through the HTTP API.</summary>
internal sealed partial class GatewayConnection
{
    public async Task<AutoscalerStatus> GetAutoscaler(string model, string version)
    {
        using var body = await Send(HttpMethod.Get, $"{VersionPath(model, version)}/autoscaling");
        var status = body!.RootElement;
        var coldStarts = status.GetProperty("cold_starts");
        return new AutoscalerStatus(
            status.GetProperty("model").GetString()!,
            status.GetProperty("version").GetString()!,
            status.TryGetProperty("settings", out var settings) ? ModelJsonReader.Autoscaling(settings) : null,
            status.GetProperty("replicas").GetInt32(),
            status.GetProperty("desired").GetInt32(),
            status.GetProperty("load").GetDouble(),
            status.GetProperty("reporting_silos").GetInt32(),
            [.. status.GetProperty("decisions").EnumerateArray().Select(d => new ScaleDecision(
                d.GetProperty("at").GetDateTimeOffset(), d.GetProperty("from").GetInt32(), d.GetProperty("to").GetInt32(),
                d.GetProperty("load").GetDouble(), d.GetProperty("reason").GetString()!,
                d.TryGetProperty("predictive", out var predictive) && predictive.ValueKind == JsonValueKind.True,
                d.TryGetProperty("forecast", out var forecast) && forecast.ValueKind == JsonValueKind.Number ? forecast.GetDouble() : null))],
            coldStarts.GetProperty("count").GetInt64(),
            coldStarts.GetProperty("last_ms").GetDouble(),
            coldStarts.GetProperty("max_ms").GetDouble());
    }

    /// <summary>The batch worker of the silo that answers (the gateway's), from the statistics extension's <c>batching</c> block.</summary>
    public async Task<BatchingStats> GetBatchingStats(string model, string? version)
    {
        var path = version is null ? $"v2/models/{Segment(model)}/stats" : $"v2/models/{Segment(model)}/versions/{Segment(version)}/stats";
        using var body = await Send(HttpMethod.Get, path);
        var batching = body!.RootElement.GetProperty("model_stats")[0].GetProperty("batching");
        return new BatchingStats(
            batching.GetProperty("mode").GetString()!,
            batching.GetProperty("max_batch_rows").GetInt32(),
            TimeSpan.FromMicroseconds(batching.GetProperty("queue_delay_us").GetInt64()),
            TimeSpan.FromMilliseconds(batching.GetProperty("latency_target_ms").GetDouble()),
            TimeSpan.FromMilliseconds(batching.GetProperty("observed_p95_ms").GetDouble()),
            batching.GetProperty("queued").GetInt32(),
            batching.GetProperty("in_flight_batches").GetInt32(),
            JsonFields.Long(batching, "requests"),
            JsonFields.Long(batching, "batches"),
            JsonFields.Long(batching, "rows_computed"),
            JsonFields.Long(batching, "rejected"),
            JsonFields.Long(batching, "expired"),
            JsonFields.Long(batching, "cancelled"),
            JsonFields.Long(batching, "failed"),
            JsonFields.Long(batching, "retried"));
    }
}
