using System.Collections.Immutable;
using System.Text.Json;
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
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("window", window);
            w.WriteStartArray("versions");
            for (var i = 0; i < versions.Length; i++) WriteReport(w, versions[i], reports[i]);
            w.WriteEndArray();
            w.WriteEndObject();
        });
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
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w => WriteReport(w, entry, report));
    }

    private static async Task Alerts(HttpContext http, IGrainFactory grains)
    {
        var names = await VisibleModels.List(http, grains);
        var models = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).GetInfo()));
        var alerts = await Task.WhenAll(models.SelectMany(m => m.Versions.Select(v => grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(m.Name, v.Version)).GetAlerts())));
        await JsonResults.Write(http.Response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("alerts");
            foreach (var alert in alerts.SelectMany(a => a).OrderByDescending(a => a.IsActive).ThenByDescending(a => a.RaisedAt))
            {
                w.WriteStartObject();
                w.WriteString("model", alert.Model);
                w.WriteString("version", alert.Version);
                w.WriteString("kind", alert.Kind);
                w.WriteBoolean("active", alert.IsActive);
                w.WriteNumber("value", alert.Value);
                w.WriteNumber("threshold", alert.Threshold);
                w.WriteString("raised_at", alert.RaisedAt);
                if (alert.ClearedAt is { } cleared) w.WriteString("cleared_at", cleared);
                else w.WriteNull("cleared_at");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteReport(Utf8JsonWriter w, ModelVersionInfo version, DriftReport report)
    {
        w.WriteStartObject();
        w.WriteString("version", version.Version);
        w.WriteNumber("reference_rows_wanted", (version.Registration.Config.Monitoring ?? MonitoringConfig.Default).ReferenceRows);
        if (report.Reference is { } reference)
        {
            w.WriteStartObject("reference");
            w.WriteString("source", reference.Source);
            w.WriteNumber("rows", reference.Rows);
            w.WriteString("created_at", reference.CreatedAt);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("reference");
        }
        w.WriteNumber("collected_rows", report.CollectedRows);
        w.WriteNumber("score", report.Score);
        Features(w, "features", report.Features);
        Features(w, "outputs", report.Outputs);
        w.WriteEndObject();
    }

    private static void Features(Utf8JsonWriter w, string name, ImmutableArray<FeatureDrift> features)
    {
        w.WriteStartArray(name);
        foreach (var feature in features)
        {
            w.WriteStartObject();
            w.WriteString("name", feature.Name);
            w.WriteNumber("values", feature.Rows);
            w.WriteNumber("psi", feature.Psi);
            w.WriteNumber("ks", feature.Ks);
            if (feature.Mean is { } mean) w.WriteNumber("mean", mean);
            if (feature.ReferenceMean is { } referenceMean) w.WriteNumber("reference_mean", referenceMean);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
