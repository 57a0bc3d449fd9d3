using System.ComponentModel;

namespace Cluster.Silo.ApiDescription;

/// <summary>
/// The request bodies of the management API, as types the OpenAPI document describes. The endpoints
/// read their bodies by hand (to name the wrong field in a 400); these records only give them a schema.
/// </summary>
internal static class RequestSchemas
{
    [Description("Points the label at a version.")]
    internal sealed record LabelRequest(string Version);

    [Description("Replicas of a ready version, 0 to 64 (0 scales it to zero).")]
    internal sealed record ScaleRequest(int Replicas);

    [Description("A traffic policy: relative weights per version or label, shadows, stickiness and an optional bandit (true or {\"exploration\": 0.1}).")]
    internal sealed record TrafficRequest(Dictionary<string, double>? Weights = null, ShadowRequest[]? Shadows = null, bool? Sticky = null, object? Bandit = null);

    internal sealed record ShadowRequest(string Version, double? Fraction = null);

    [Description("A rollout plan: the target version, steps of traffic weight and duration, and the gates each step must pass.")]
    internal sealed record RolloutRequest(string Target, RolloutStepRequest[] Steps, string? Baseline = null, RolloutGatesRequest? Gates = null);

    internal sealed record RolloutStepRequest(double Weight, double DurationSeconds);

    internal sealed record RolloutGatesRequest(double? MaxErrorRate = null, double? MaxP99LatencyRatio = null, double? MaxDriftScore = null, long? MinRequests = null);

    [Description("A new API key: its name, scopes (infer, read, admin, capture) and the models it is limited to (none: all).")]
    internal sealed record KeyRequest(string Name, string[] Scopes, string[]? Models = null);

    [Description("A reward in [0, 1] for the answer to a request, by the response's id.")]
    internal sealed record FeedbackRequest(string Id, double Reward);

    [Description("The advice to apply: a version and the kind of advice /api/cost gives it (unused, under_utilized, overloaded, batching_headroom), over a window (default 24h).")]
    internal sealed record CostApplyRequest(string Model, string Version, string Kind, string? Window = null);

    [Description("Ground truth for served requests, by their ids: a class index or name (label) or, for regression, a value. Up to 10,000 a call.")]
    internal sealed record GroundTruthRequest(GroundTruthLabelRequest[] Labels);

    internal sealed record GroundTruthLabelRequest(string Id, object? Label = null, double? Value = null);

    [Description("Alert webhook receivers; a secret signs each delivery (HMAC-SHA256).")]
    internal sealed record WebhooksRequest(WebhookRequest[] Receivers);

    internal sealed record WebhookRequest(string Url, string? Secret = null);

    [Description("Triton's repository index request: only ready models when ready is true.")]
    internal sealed record RepositoryIndexRequest(bool? Ready = null);

    [Description("Triton's repository load request: parameters.config (config.json text) and file:<version>/model.onnx (base64 ONNX bytes) override the repository's.")]
    internal sealed record RepositoryLoadBody(Dictionary<string, string>? Parameters = null);

    [Description("A version's config.json: max_batch_size, replicas, device, dynamic_batching, autoscaling, capture, quality, alerts, labels and more; see docs/API.md.")]
    internal sealed record ConfigRequest(
        int? MaxBatchSize = null, int? Replicas = null, string? Device = null, Dictionary<string, string>? Labels = null, Dictionary<string, object>? DynamicBatching = null,
        bool? RequireAccelerator = null, Dictionary<string, object>? ResponseCache = null, Dictionary<string, object>? Drift = null, Dictionary<string, object>? Alerts = null,
        bool? Statistics = null, Dictionary<string, object>? Autoscaling = null, bool? Pinned = null, long? MemoryBytes = null, Dictionary<string, object>? Capture = null, Dictionary<string, object>? Quality = null);

    [Description("The error every refusal carries, with the reason.")]
    internal sealed record ErrorBody(string Error);
}
