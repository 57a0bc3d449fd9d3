using System.Text.Json.Nodes;
using Cluster.Models;

namespace Cluster.Client.Remote;

/// <summary>
/// A <see cref="ModelConfig"/> as the config.json the gateway's <c>PUT /api/models/{m}/config</c> reads:
/// every setting written out, so what the server parses back is the config the caller gave.
/// </summary>
internal static class ModelConfigJsonWriter
{
    public static JsonObject Write(ModelConfig config)
    {
        var json = new JsonObject
        {
            ["max_batch_size"] = config.MaxBatchSize,
            ["replicas"] = config.Replicas,
            ["require_accelerator"] = config.RequireAccelerator,
            ["pinned"] = config.Pinned,
            ["labels"] = new JsonObject([.. config.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
        };
        if (config.Device is { } device) json["device"] = device;
        if (config.DefaultVersion is { } label) json["default_version"] = label;
        if (config.VersionPolicy is { } policy) json["version_policy"] = Policy(policy);
        if (config.MemoryBytes > 0) json["memory_bytes"] = config.MemoryBytes;
        if (config.ResponseCacheEntries > 0) json["response_cache"] = new JsonObject { ["max_entries"] = config.ResponseCacheEntries };
        if (config.Batching is { Enabled: true } batching)
        {
            var dynamic = new JsonObject
            {
                ["max_queue_size"] = batching.MaxQueueSize,
                ["default_timeout_microseconds"] = batching.DefaultTimeoutMicroseconds,
                ["preferred_batch_sizes"] = new JsonArray([.. batching.PreferredBatchSizes.Select(s => (JsonNode?)s)]),
            };
            // Adaptive and fixed delays exclude each other; write the one in use.
            if (batching.LatencyTargetMs > 0) dynamic["latency_target_ms"] = batching.LatencyTargetMs;
            else dynamic["max_queue_delay_microseconds"] = batching.MaxQueueDelayMicroseconds;
            json["dynamic_batching"] = dynamic;
        }
        if (config.Monitoring is { } monitoring)
        {
            json["statistics"] = monitoring.Statistics;
            json["drift"] = new JsonObject { ["reference_rows"] = monitoring.ReferenceRows };
            json["alerts"] = new JsonObject
            {
                ["max_drift_score"] = monitoring.MaxDriftScore,
                ["max_p99_ms"] = monitoring.MaxP99Ms,
                ["max_error_rate"] = monitoring.MaxErrorRate,
                ["min_accuracy"] = monitoring.MinAccuracy,
                ["max_mae"] = monitoring.MaxMae,
                ["max_disparity"] = monitoring.MaxDisparity,
            };
        }
        if (config.Autoscaling is { } scaling)
        {
            json["autoscaling"] = new JsonObject
            {
                ["min_replicas"] = scaling.MinReplicas,
                ["max_replicas"] = scaling.MaxReplicas,
                ["target_queue_per_replica"] = scaling.TargetQueuePerReplica,
                ["upscale_delay_s"] = scaling.UpscaleDelaySeconds,
                ["downscale_delay_s"] = scaling.DownscaleDelaySeconds,
                ["idle_before_zero_s"] = scaling.IdleSecondsBeforeZero,
                ["predictive"] = scaling.Predictive,
            };
        }
        if (config.Capture is { } capture)
        {
            json["capture"] = new JsonObject
            {
                ["fraction"] = capture.Fraction,
                ["inputs"] = capture.Inputs,
                ["outputs"] = capture.Outputs,
                ["redact"] = new JsonArray([.. (capture.Redact.IsDefault ? [] : capture.Redact).Select(r => (JsonNode?)r)]),
                ["retention_days"] = capture.RetentionDays,
            };
        }
        if (config.Quality is { } quality)
        {
            json["quality"] = new JsonObject
            {
                ["task"] = quality.Task == QualityTask.Classification ? "classification" : "regression",
                ["output"] = quality.Output,
                ["classes"] = new JsonArray([.. (quality.Classes.IsDefault ? [] : quality.Classes).Select(c => (JsonNode?)c)]),
                ["segment"] = quality.Segment,
                ["retention_hours"] = quality.RetentionHours,
            };
        }
        return json;
    }

    private static JsonObject Policy(VersionPolicy policy) => policy.Kind switch
    {
        VersionPolicyKind.Latest => new JsonObject { ["latest"] = new JsonObject { ["num_versions"] = policy.NumVersions } },
        VersionPolicyKind.Specific => new JsonObject
        {
            ["specific"] = new JsonObject { ["versions"] = new JsonArray([.. policy.Versions.Select(v => (JsonNode?)long.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]) },
        },
        _ => new JsonObject { ["all"] = new JsonObject() },
    };
}
