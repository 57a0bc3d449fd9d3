using System.Collections.Frozen;
using Cluster.Silo.Alerts;
using Cluster.Silo.Cost;
using Cluster.Silo.Management;
using Cluster.Silo.Observability;
using Cluster.Silo.Quality;
using Cluster.Silo.Traffic;
using static Cluster.Silo.ApiDescription.ProtocolSchemas;
using static Cluster.Silo.ApiDescription.RequestSchemas;

namespace Cluster.Silo.ApiDescription;

/// <summary>
/// Every HTTP endpoint's description, by method and route. The endpoints write their bodies with
/// source-generated serializers, which leave no metadata to describe them by, so the description lives
/// here; a test fails when a mapped route is missing from this table.
/// </summary>
internal static class ApiOperations
{
    private const string OnnxBytes = "application/octet-stream";

    /// <summary>The table's key of a described endpoint: "METHOD /route".</summary>
    public static string KeyOf(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description) => $"{description.HttpMethod} /{description.RelativePath}";

    public static readonly FrozenDictionary<string, ApiOperation> ByRoute = new Dictionary<string, ApiOperation>(StringComparer.Ordinal)
    {
        // KServe v2 (Open Inference Protocol)
        ["GET /v2"] = new("Server metadata: name, version, extensions", null, typeof(ServerMetadata)),
        ["GET /v2/health/live"] = new("Liveness (no key needed)", null, typeof(HealthEndpoints.LiveBody)),
        ["GET /v2/health/ready"] = new("Readiness: 200 once the silo serves (no key needed)", null, typeof(HealthEndpoints.ReadyBody)),
        ["GET /v2/models/{model}"] = new("The default version's metadata: inputs and outputs", null, typeof(ModelMetadata)),
        ["GET /v2/models/{model}/versions/{version}"] = new("A version's metadata: inputs and outputs", null, typeof(ModelMetadata)),
        ["GET /v2/models/{model}/ready"] = new("Whether the default version serves", null, typeof(ModelReady)),
        ["GET /v2/models/{model}/versions/{version}/ready"] = new("Whether a version serves", null, typeof(ModelReady)),
        ["POST /v2/models/{model}/infer"] = new("Inference on the default version (or the traffic split); also the binary tensor extension", typeof(InferRequest), typeof(InferResponse)),
        ["POST /v2/models/{model}/versions/{version}/infer"] = new("Inference on a version or label", typeof(InferRequest), typeof(InferResponse)),
        ["GET /v2/models/{model}/openapi.json"] = new("The OpenAPI document of a version's inference (?version=), for generating a typed client", null, typeof(object)),
        ["GET /v2/models/stats"] = new("Statistics of every model (Triton's statistics extension)", null, typeof(ModelStatsJson.StatsBody)),
        ["GET /v2/models/{model}/stats"] = new("A model's statistics", null, typeof(ModelStatsJson.StatsBody)),
        ["GET /v2/models/{model}/versions/{version}/stats"] = new("A version's statistics", null, typeof(ModelStatsJson.StatsBody)),
        ["POST /v2/repository/index"] = new("The model repository's index (Triton's repository extension)", typeof(RepositoryIndexRequest), typeof(ManagementEndpoints.RepositoryEntry[])),
        ["POST /v2/repository/models/{model}/load"] = new("Loads every version of a model, optionally with a config or files given in the request", typeof(RepositoryLoadBody), null),
        ["POST /v2/repository/models/{model}/unload"] = new("Unloads every version of a model", null, null),

        // Models and versions
        ["GET /api/models"] = new("Models the key may see, with their versions and status", null, typeof(ModelJson.ModelBody[])),
        ["GET /api/models/{model}"] = new("A model: versions, status, config and signatures", null, typeof(ModelJson.ModelBody)),
        ["POST /api/models/{model}/versions/{version}"] = new("Uploads ONNX bytes as a version (loaded before the answer); ?label= points a label at it", typeof(byte[]), typeof(ModelJson.VersionBody), StatusCodes.Status201Created, RequestType: OnnxBytes),
        ["DELETE /api/models/{model}/versions/{version}"] = new("Deletes a version; refused while it serves traffic unless ?force=true", null, null, StatusCodes.Status204NoContent),
        ["POST /api/models/{model}/versions/{version}/load"] = new("Loads a version (503 with the version when it fails to load)", null, typeof(ModelJson.VersionBody)),
        ["POST /api/models/{model}/versions/{version}/unload"] = new("Unloads a version after a short drain", null, typeof(ModelJson.VersionBody)),
        ["PUT /api/models/{model}/labels/{label}"] = new("Points a label at a version", typeof(LabelRequest), typeof(ModelJson.ModelBody)),
        ["PUT /api/models/{model}/config"] = new("Replaces the model's config.json and reloads its loaded versions", typeof(ConfigRequest), typeof(ModelJson.ModelBody)),
        ["POST /api/models/{model}/versions/{version}/scale"] = new("Sets a ready version's replicas without a reload", typeof(ScaleRequest), typeof(ModelJson.VersionBody)),
        ["GET /api/models/{model}/versions/{version}/autoscaling"] = new("A version's autoscaler: replicas, load, decisions, cold starts", null, typeof(ScalingEndpoints.AutoscalerBody)),
        ["GET /api/models/{model}/versions/{version}/statistics"] = new("A version's statistics merged across silos: totals and 1/15/60-minute windows with latency histograms", null, typeof(Cluster.Statistics.VersionStatistics)),
        ["GET /api/memory"] = new("Memory per silo and device: budgets, loaded replicas, evictions", null, typeof(MemoryEndpoints.MemoryPage)),

        // Traffic, rollouts, feedback
        ["GET /api/models/{model}/traffic"] = new("The model's traffic policy", null, typeof(TrafficJson.TrafficBody)),
        ["PUT /api/models/{model}/traffic"] = new("Sets the A/B split, shadows and bandit", typeof(TrafficRequest), typeof(TrafficJson.TrafficBody)),
        ["GET /api/models/{model}/traffic/figures"] = new("Per-arm figures of the current split", null, typeof(TrafficFiguresEndpoints.TrafficFiguresBody)),
        ["POST /api/models/{model}/rollouts"] = new("Starts a rollout in gated steps", typeof(RolloutRequest), typeof(RolloutJson.RolloutBody), StatusCodes.Status201Created),
        ["GET /api/models/{model}/versions/{version}/shadow"] = new("How a shadow version's answers compared with the primary's, raw", null, typeof(Cluster.Statistics.ShadowComparison)),
        ["GET /api/models/{model}/rollouts/current"] = new("The active rollout, else the last one", null, typeof(RolloutJson.RolloutBody)),
        ["POST /api/models/{model}/rollouts/current/{action}"] = new("pause, resume or abort the active rollout", null, typeof(RolloutJson.RolloutBody)),
        ["POST /api/models/{model}/feedback"] = new("A reward for an answer, which the model's bandit learns from", typeof(FeedbackRequest), typeof(FeedbackEndpoints.FeedbackBody)),

        // Quality, capture, drift, alerts
        ["POST /api/models/{model}/ground-truth"] = new("Ground truth for served requests", typeof(GroundTruthRequest), typeof(GroundTruthEndpoints.GroundTruthBody)),
        ["GET /api/models/{model}/quality"] = new("Accuracy (or error) per version and segment over a window", null, typeof(QualityEndpoints.QualityBody)),
        ["GET /api/models/{model}/captures"] = new("Captured predictions, one JSON record a line (capture scope)", null, typeof(string), ResponseType: "application/x-ndjson"),
        ["GET /api/models/{model}/drift"] = new("Drift of each version's inputs against its reference", null, typeof(DriftEndpoints.DriftBody)),
        ["POST /api/models/{model}/versions/{version}/reference"] = new("Sets a version's drift reference from rows sent as a v2 request", typeof(InferRequest), typeof(DriftEndpoints.ReportBody)),
        ["GET /api/alerts"] = new("Active and recent alerts", null, typeof(DriftEndpoints.AlertsBody)),
        ["GET /api/alerts/webhooks"] = new("Alert webhook receivers (secrets masked)", null, typeof(AlertWebhookJson.ReceiversBody)),
        ["PUT /api/alerts/webhooks"] = new("Replaces the alert webhook receivers", typeof(WebhooksRequest), typeof(AlertWebhookJson.ReceiversBody)),
        ["GET /api/alerts/deliveries"] = new("Recent webhook deliveries and their outcomes", null, typeof(AlertWebhookJson.DeliveriesBody)),

        // Cost and capacity
        ["GET /api/cost"] = new("Utilization, estimated cost and right-sizing advice of every version over a window (?window=1h|24h|7d)", null, typeof(CostJson.ReportBody)),
        ["POST /api/cost/recommendations/apply"] = new("Applies one piece of right-sizing advice, if the figures still give it", typeof(CostApplyRequest), typeof(CostJson.AppliedBody)),

        // Keys, audit, status
        ["POST /api/keys"] = new("Creates an API key; the answer shows the key once", typeof(KeyRequest), typeof(KeyEndpoints.KeyBody), StatusCodes.Status201Created),
        ["GET /api/keys"] = new("Every key, revoked ones included (never keys or hashes)", null, typeof(KeyEndpoints.KeyList)),
        ["DELETE /api/keys/{id}"] = new("Revokes a key", null, typeof(KeyEndpoints.KeyBody)),
        ["POST /api/keys/{id}/rotate"] = new("A new secret for the same key", null, typeof(KeyEndpoints.KeyBody)),
        ["GET /api/audit"] = new("Administrative changes, newest first", null, typeof(AuditEndpoints.AuditPage)),
        ["GET /api/status"] = new("The status page's figures: silos, models, versions, alerts", null, typeof(StatusEndpoints.StatusBody)),
        ["GET /"] = new("The status page (HTML)", null, typeof(string), ResponseType: "text/html"),
        ["GET /models/{model}"] = new("One model's detail page (HTML): the status page showing only that model", null, typeof(string), ResponseType: "text/html"),
        ["GET /api/models/{model}/history"] = new("Each version's last hour per minute (requests, errors, p50/p99), for the status page's charts", null, typeof(HistoryEndpoints.HistoryBody)),
        ["GET /static/uplot/uPlot.iife.min.js"] = new("uPlot, the status page's charting library (served locally)", null, typeof(string), ResponseType: "text/javascript"),
        ["GET /static/uplot/uPlot.min.css"] = new("uPlot's style sheet", null, typeof(string), ResponseType: "text/css"),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
