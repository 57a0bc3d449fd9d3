using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Models;

namespace Cluster.Repository;

/// <summary>
/// Reads <c>config.json</c>: <c>max_batch_size</c>, <c>replicas</c>, <c>device</c>, <c>require_accelerator</c>, <c>response_cache</c> (<c>max_entries</c>),
/// <c>statistics</c> (false: no grain-state statistics), <c>drift</c> (<c>reference_rows</c>), <c>alerts</c> (<c>max_drift_score</c>, <c>max_p99_ms</c>, <c>max_error_rate</c>, <c>min_accuracy</c>, <c>max_mae</c>, <c>max_disparity</c>), <c>labels</c>
/// (version labels such as <c>{"stable": "1"}</c>) and <c>dynamic_batching</c>
/// (<c>max_queue_delay_microseconds</c>, <c>preferred_batch_sizes</c>, <c>max_queue_size</c>,
/// <c>default_timeout_microseconds</c>, <c>latency_target_ms</c>), <c>autoscaling</c> (<c>min_replicas</c>, <c>max_replicas</c>,
/// <c>target_queue_per_replica</c>, <c>upscale_delay_s</c>, <c>downscale_delay_s</c>, <c>idle_before_zero_s</c>, <c>predictive</c>), <c>pinned</c>
/// (never evicted for memory), <c>memory_bytes</c> (a replica's footprint, instead of measuring it) and <c>capture</c> (<c>fraction</c>,
/// <c>inputs</c>, <c>outputs</c>, <c>redact</c>, <c>retention_days</c>) and <c>quality</c> (<c>task</c>, <c>output</c>, <c>classes</c>,
/// <c>segment</c>, <c>retention_hours</c>), <c>default_version</c> (<c>"highest"</c> or a label's name) and <c>version_policy</c>
/// (<c>all</c>, <c>latest.num_versions</c> or <c>specific.versions</c>, as Triton spells them). Unknown keys are an error, so typos surface.
/// </summary>
public static class ModelConfigFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// Parses the file's text; throws <see cref="InvalidDataException"/> with the reason when it is
    /// wrong, starting with <paramref name="source"/> (the file's path, where there is one) and naming the key.
    /// </summary>
    public static ModelConfig Parse(string json, string source = "config.json")
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: {ConfigKeys.Describe(ex, typeof(Document))}", ex);
        }
        try
        {
            return ToConfig(document);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }
    }

    private static ModelConfig ToConfig(Document? document)
    {
        if (document is null) return ModelConfig.Default;
        var defaults = ModelConfig.Default;
        var config = new ModelConfig(
            document.MaxBatchSize ?? defaults.MaxBatchSize,
            document.Replicas ?? defaults.Replicas,
            document.Device,
            document.Labels?.ToImmutableDictionary(StringComparer.Ordinal) ?? defaults.Labels,
            document.DynamicBatching is { } batching ? ToConfig(batching) : defaults.Batching,
            document.RequireAccelerator ?? false,
            document.ResponseCache?.MaxEntries ?? 0,
            document.Drift is null && document.Alerts is null && document.Statistics is null ? null : new MonitoringConfig(
                document.Drift?.ReferenceRows ?? MonitoringConfig.DefaultReferenceRows,
                document.Alerts?.MaxDriftScore,
                document.Alerts?.MaxP99Ms,
                document.Alerts?.MaxErrorRate,
                document.Statistics ?? true,
                document.Alerts?.MinAccuracy,
                document.Alerts?.MaxMae,
                document.Alerts?.MaxDisparity),
            document.Autoscaling is { } autoscaling ? ToConfig(autoscaling, document.Replicas ?? defaults.Replicas) : null,
            document.Pinned ?? false,
            document.MemoryBytes ?? 0,
            document.Capture is { } capture ? ToConfig(capture) : null,
            document.Quality is { } quality ? ToConfig(quality) : null,
            StagingConfig.DefaultVersion(document.DefaultVersion),
            StagingConfig.Policy(document.VersionPolicy));
        Validate(config);
        return config;
    }

    private static BatchingConfig ToConfig(DynamicBatchingDocument d) => new(
        Enabled: true,
        d.MaxQueueDelayMicroseconds ?? 0,
        d.PreferredBatchSizes is null ? [] : [.. d.PreferredBatchSizes.Order()],
        d.MaxQueueSize ?? BatchingConfig.DefaultMaxQueueSize,
        d.DefaultTimeoutMicroseconds ?? 0,
        d.LatencyTargetMs ?? 0);

    private static AutoscalingConfig ToConfig(AutoscalingDocument d, int replicas) => new(
        d.MinReplicas ?? 1,
        d.MaxReplicas ?? Math.Max(replicas, d.MinReplicas ?? 1),
        d.TargetQueuePerReplica ?? AutoscalingConfig.DefaultTargetQueuePerReplica,
        d.UpscaleDelayS ?? AutoscalingConfig.DefaultUpscaleDelaySeconds,
        d.DownscaleDelayS ?? AutoscalingConfig.DefaultDownscaleDelaySeconds,
        d.IdleBeforeZeroS ?? AutoscalingConfig.DefaultIdleSecondsBeforeZero,
        d.Predictive ?? false);

    private static CaptureConfig ToConfig(CaptureDocument d) => new(
        d.Fraction ?? throw new InvalidDataException("capture.fraction is required (0 to 1; 0 turns capture off)."),
        d.Inputs ?? true,
        d.Outputs ?? true,
        d.Redact is null ? [] : [.. d.Redact],
        d.RetentionDays ?? CaptureConfig.DefaultRetentionDays);

    private static QualityConfig ToConfig(QualityDocument d) => new(
        d.Task switch
        {
            "classification" => QualityTask.Classification,
            "regression" => QualityTask.Regression,
            null => throw new InvalidDataException("quality.task is required (\"classification\" or \"regression\")."),
            _ => throw new InvalidDataException($"quality.task '{d.Task}' is not \"classification\" or \"regression\"."),
        },
        d.Output,
        d.Classes is null ? [] : [.. d.Classes],
        d.Segment ?? QualityConfig.DefaultSegment,
        d.RetentionHours ?? QualityConfig.DefaultRetentionHours);

    private static void Validate(ModelConfig config)
    {
        if (config.Quality is { } quality)
        {
            if (quality.Output is { Length: 0 }) throw new InvalidDataException("quality.output must name an output (or be left out for the first one).");
            if (string.IsNullOrEmpty(quality.Segment)) throw new InvalidDataException("quality.segment must name a request parameter.");
            if (quality.RetentionHours is < 1 or > 87_600) throw new InvalidDataException("quality.retention_hours must be between 1 and 87600.");
            if (quality.Classes.Any(string.IsNullOrEmpty)) throw new InvalidDataException("quality.classes must be non-empty names.");
            if (quality.Classes.Distinct(StringComparer.Ordinal).Count() != quality.Classes.Length) throw new InvalidDataException("quality.classes must not repeat a name.");
            if (quality.Task == QualityTask.Regression && quality.Classes.Length > 0) throw new InvalidDataException("quality.classes is for classification; a regression model has none.");
        }
        if (config.Capture is { } capture)
        {
            if (!(capture.Fraction is >= 0 and <= 1)) throw new InvalidDataException("capture.fraction must be between 0 and 1.");
            if (capture.RetentionDays is < 1 or > 3650) throw new InvalidDataException("capture.retention_days must be between 1 and 3650.");
            if (capture.Redact.Any(string.IsNullOrWhiteSpace)) throw new InvalidDataException("capture.redact must list input names.");
        }
        if (config.MemoryBytes < 0) throw new InvalidDataException("memory_bytes must not be negative.");
        if (config.Autoscaling is { } scaling)
        {
            if (scaling.MinReplicas is < 0 or > 64) throw new InvalidDataException("autoscaling.min_replicas must be between 0 and 64.");
            if (scaling.MaxReplicas < Math.Max(1, scaling.MinReplicas) || scaling.MaxReplicas > 64) throw new InvalidDataException("autoscaling.max_replicas must be between max(1, min_replicas) and 64.");
            if (!(scaling.TargetQueuePerReplica > 0)) throw new InvalidDataException("autoscaling.target_queue_per_replica must be positive.");
            if (scaling.UpscaleDelaySeconds is < 0 or > 3600 || scaling.DownscaleDelaySeconds is < 0 or > 3600) throw new InvalidDataException("autoscaling delays must be between 0 and 3600 seconds.");
            if (scaling.IdleSecondsBeforeZero is < 1 or > 604_800) throw new InvalidDataException("autoscaling.idle_before_zero_s must be between 1 and 604800.");
        }
        if (config.RequireAccelerator && config.Device?.ToLowerInvariant() == "cpu") throw new InvalidDataException("require_accelerator contradicts device \"cpu\".");
        if (config.ResponseCacheEntries is < 0 or > 1_000_000) throw new InvalidDataException("response_cache.max_entries must be between 0 and 1000000.");
        if (config.Monitoring is { } monitoring)
        {
            if (monitoring.ReferenceRows is < 0 or > 10_000_000) throw new InvalidDataException("drift.reference_rows must be between 0 and 10000000.");
            if (monitoring.MaxDriftScore is < 0) throw new InvalidDataException("alerts.max_drift_score must not be negative.");
            if (monitoring.MaxP99Ms is <= 0) throw new InvalidDataException("alerts.max_p99_ms must be positive.");
            if (monitoring.MaxErrorRate is < 0 or > 1) throw new InvalidDataException("alerts.max_error_rate must be between 0 and 1.");
            if (monitoring.MinAccuracy is < 0 or > 1) throw new InvalidDataException("alerts.min_accuracy must be between 0 and 1.");
            if (monitoring.MaxMae is < 0) throw new InvalidDataException("alerts.max_mae must not be negative.");
            if (monitoring.MinAccuracy is not null && config.Quality?.Task != QualityTask.Classification) throw new InvalidDataException("alerts.min_accuracy needs a \"quality\" block with \"task\": \"classification\".");
            if (monitoring.MaxMae is not null && config.Quality?.Task != QualityTask.Regression) throw new InvalidDataException("alerts.max_mae needs a \"quality\" block with \"task\": \"regression\".");
            if (monitoring.MaxDisparity is < 0 or > 1) throw new InvalidDataException("alerts.max_disparity must be between 0 and 1.");
            if (monitoring.MaxDisparity is not null && config.Quality?.Task != QualityTask.Classification) throw new InvalidDataException("alerts.max_disparity needs a \"quality\" block with \"task\": \"classification\" (a binary classifier with segments).");
        }
        var batching = config.Batching;
        if (batching.Enabled && config.MaxBatchSize == 0) throw new InvalidDataException("dynamic_batching needs max_batch_size > 0; a model with a fixed batch dimension cannot be batched.");
        if (batching.MaxQueueDelayMicroseconds is < 0 or > 10_000_000) throw new InvalidDataException("max_queue_delay_microseconds must be between 0 and 10000000.");
        if (batching.MaxQueueSize is < 1 or > 1_000_000) throw new InvalidDataException("max_queue_size must be between 1 and 1000000.");
        if (batching.DefaultTimeoutMicroseconds < 0) throw new InvalidDataException("default_timeout_microseconds must be 0 or more.");
        if (batching.LatencyTargetMs is < 0 or > 600_000) throw new InvalidDataException("latency_target_ms must be between 0 and 600000.");
        if (batching.LatencyTargetMs > 0 && batching.MaxQueueDelayMicroseconds > 0) throw new InvalidDataException("latency_target_ms (adaptive) and max_queue_delay_microseconds (fixed) exclude each other.");
        if (batching.PreferredBatchSizes.Any(size => size < 1 || size > config.MaxBatchSize)) throw new InvalidDataException("preferred_batch_sizes must lie between 1 and max_batch_size.");
        if (config.MaxBatchSize < 0) throw new InvalidDataException("max_batch_size must be 0 or more.");
        if (config.Replicas is < 1 or > 64) throw new InvalidDataException("replicas must be between 1 and 64.");
        if (config.Device is not null && config.Device.ToLowerInvariant() is not ("auto" or "cpu" or "cuda"))
        {
            throw new InvalidDataException($"device '{config.Device}' is not auto, cpu or cuda.");
        }
        foreach (var (label, version) in config.Labels)
        {
            if (!ModelVersions.TryParse(version, out _)) throw new InvalidDataException($"label '{label}' points at '{version}', which is not a version number.");
            if (ModelVersions.TryParse(label, out _)) throw new InvalidDataException($"label '{label}' looks like a version number.");
        }
    }

    private sealed record Document(
        int? MaxBatchSize, int? Replicas, string? Device, Dictionary<string, string>? Labels, DynamicBatchingDocument? DynamicBatching,
        bool? RequireAccelerator, ResponseCacheDocument? ResponseCache, DriftDocument? Drift, AlertsDocument? Alerts, bool? Statistics,
        AutoscalingDocument? Autoscaling, bool? Pinned, long? MemoryBytes, CaptureDocument? Capture, QualityDocument? Quality,
        string? DefaultVersion, VersionPolicyDocument? VersionPolicy);

    private sealed record QualityDocument(string? Task, string? Output, string[]? Classes, string? Segment, int? RetentionHours);

    private sealed record CaptureDocument(double? Fraction, bool? Inputs, bool? Outputs, string[]? Redact, int? RetentionDays);

    private sealed record AutoscalingDocument(
        int? MinReplicas, int? MaxReplicas, double? TargetQueuePerReplica, double? UpscaleDelayS, double? DownscaleDelayS, double? IdleBeforeZeroS, bool? Predictive);

    private sealed record DriftDocument(int? ReferenceRows);

    private sealed record AlertsDocument(double? MaxDriftScore, double? MaxP99Ms, double? MaxErrorRate, double? MinAccuracy, double? MaxMae, double? MaxDisparity);

    private sealed record ResponseCacheDocument(int? MaxEntries);

    private sealed record DynamicBatchingDocument(
        long? MaxQueueDelayMicroseconds, int[]? PreferredBatchSizes, int? MaxQueueSize, long? DefaultTimeoutMicroseconds, double? LatencyTargetMs);
}
