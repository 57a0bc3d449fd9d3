using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Cluster.Drift;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Silo.Gateway;
using Cluster.Silo.Inference;
using Cluster.Silo.Security;
using Cluster.Statistics;

namespace Cluster.Silo.Observability;

/// <summary>
/// Drift and alerts: <c>GET /api/models/{m}/drift</c>, <c>POST /api/models/{m}/versions/{v}/reference</c>
/// (a sample set, in the v2 inference request format, becomes the version's reference) and <c>GET /api/alerts</c>.
/// </summary>
internal static class DriftEndpoints
{
    private const int SampleValuesPerFeature = ReferenceCollector.MaxValuesPerFeature;

    public static void Map(IEndpointRouteBuilder read, IEndpointRouteBuilder admin)
    {
        read.MapGet("/api/models/{model}/drift", Drift);
        admin.MapPost("/api/models/{model}/versions/{version}/reference", SetReference);
        read.MapGet("/api/alerts", Alerts);
    }

    private static async Task Drift(HttpContext http, IGrainFactory grains, string model, string? version, string? window)
    {
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        if (!info.Exists) throw new ModelNotFoundException($"Unknown model '{model}'.");
        window ??= "15m";
        var versions = version is null
            ? info.Versions.Where(v => v.Status == VersionStatus.Ready).ToArray()
            : [info.Resolve(version) ?? throw new ModelNotFoundException($"Model '{model}' has no version or label '{version}'.")];
        var reports = await Task.WhenAll(versions.Select(v => grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, v.Version)).GetDrift(window)));
        var body = new DriftBody(model, window, [.. versions.Select((v, i) => Report(v, reports[i]))]);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, ObservabilityJsonContext.Default.DriftBody);
    }

    private static async Task SetReference(HttpContext http, IGrainFactory grains, RouterGrains routers, string model, string version)
    {
        var body = await RequestBody.ReadAll(http.Request.BodyReader, http.RequestAborted);
        var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewaySettings>>().Value;
        var parsed = InferenceRequestJsonReader.Read(body, BinaryTensorData.HeaderLength(http.Request, body.Length), limits.MaxJsonDepth);
        RequestLimits.Check(parsed.Request, limits, checkRows: false);
        var info = await grains.GetGrain<IModelGrain>(model).GetInfo();
        var entry = info.Resolve(version) ?? throw new ModelNotFoundException($"Model '{model}' has no version or label '{version}'.");
        var request = parsed.Request with { RequestedOutputs = [] };
        var rows = request.Inputs.IsDefaultOrEmpty ? 0 : request.Inputs[0].Shape.Length == 0 ? 1 : (int)request.Inputs[0].Shape[0];
        // Running the sample set through the version checks it fits and gives the outputs the reference needs;
        // a set larger than a batch runs in batch-sized slices.
        var sliceRows = entry.Registration.Config.MaxBatchSize > 0 ? entry.Registration.Config.MaxBatchSize : Math.Max(1, rows);
        var slices = rows <= sliceRows
            ? [request.Inputs]
            : Batching.BatchAssembler.Split(request.Inputs, [.. Enumerable.Range(0, (rows + sliceRows - 1) / sliceRows).Select(i => Math.Min(sliceRows, rows - i * sliceRows))]);
        var outputs = new Dictionary<string, OutputDistribution>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            var response = await routers.For(model).Infer(request with { Inputs = slice }, entry.Version, http.RequestAborted);
            foreach (var output in response.Outputs)
            {
                if (OutputProfiler.Profile(output) is not { } distribution) continue;
                outputs[output.Name] = outputs.TryGetValue(output.Name, out var seen) ? seen.Merge(distribution) : distribution;
            }
        }
        var samples = request.Inputs
            .SelectMany(input => DriftFeatures.Sample(input, SampleValuesPerFeature))
            .ToImmutableDictionary(f => f.Feature, f => f.Values.ToImmutableArray(), StringComparer.Ordinal);
        var report = await grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, entry.Version))
            .SetReference(new InputProfile(rows, 0, samples, ImmutableDictionary<string, FeatureHistogram>.Empty), outputs.ToImmutableDictionary(StringComparer.Ordinal));
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, Report(entry, report), ObservabilityJsonContext.Default.ReportBody);
    }

    private static async Task Alerts(HttpContext http, IGrainFactory grains)
    {
        var names = await VisibleModels.List(http, grains);
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetInfo()));
        var alerts = await Task.WhenAll(models.SelectMany(m => m.Versions.Select(v => grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(m.Name, v.Version)).GetAlerts())));
        var body = new AlertsBody([.. alerts.SelectMany(a => a).OrderByDescending(a => a.IsActive).ThenByDescending(a => a.RaisedAt)
            .Select(a => new AlertBody(a.Model, a.Version, a.Kind, a.IsActive, a.Value, a.Threshold, a.RaisedAt, a.ClearedAt))]);
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, body, ObservabilityJsonContext.Default.AlertsBody);
    }

    internal static ReportBody Report(ModelVersionInfo version, DriftReport report) => new(
        version.Version,
        (version.Registration.Config.Monitoring ?? MonitoringConfig.Default).ReferenceRows,
        report.Reference is { } reference ? new ReferenceBody(reference.Source, reference.Rows, reference.CreatedAt) : null,
        report.CollectedRows,
        report.Score,
        Features(report.Features),
        Features(report.Outputs));

    private static FeatureBody[] Features(ImmutableArray<FeatureDrift> features) =>
        [.. features.Select(f => new FeatureBody(f.Name, f.Rows, f.Psi, f.Ks, f.Mean, f.ReferenceMean))];

    /// <summary>A model's drift over a window, per version.</summary>
    internal sealed record DriftBody(string Model, string Window, ReportBody[] Versions);

    /// <summary>A version's drift: its reference (null until it has one), the rows seen since, and the score per feature and output.</summary>
    internal sealed record ReportBody(string Version, int ReferenceRowsWanted, ReferenceBody? Reference, long CollectedRows, double Score, FeatureBody[] Features, FeatureBody[] Outputs);

    internal sealed record ReferenceBody(string Source, long Rows, DateTimeOffset CreatedAt);

    /// <summary>A feature's drift; the means only where the feature has them.</summary>
    internal sealed record FeatureBody(
        string Name,
        [property: JsonPropertyName("values")] long Rows,
        double Psi,
        double Ks,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Mean,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ReferenceMean);

    /// <summary><c>{"alerts": [...]}</c>, active first, newest first.</summary>
    internal sealed record AlertsBody(AlertBody[] Alerts);

    internal sealed record AlertBody(string Model, string Version, string Kind, bool Active, double Value, double Threshold, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt);
}
