using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Client.Remote;

/// <summary>
/// The management API's model and version bodies as the client's <see cref="ModelInfo"/>. The API shows
/// a version's main settings, not its whole config.json, so the config read back carries those settings
/// (batch size, replicas, device, batching on or off, pinning, memory, autoscaling, capture, quality) and
/// the defaults for the rest (batching delays, alerts, response cache).
/// </summary>
internal static class ModelJsonReader
{
    public static ModelInfo Model(JsonElement model, TrafficPolicy? traffic)
    {
        var labels = model.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object
            ? l.EnumerateObject().ToImmutableDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : ImmutableDictionary<string, string>.Empty;
        return new ModelInfo(
            JsonFields.Text(model, "name"),
            model.GetProperty("revision").GetInt64(),
            model.TryGetProperty("default_version", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
            [.. model.GetProperty("versions").EnumerateArray().Select(Version)],
            labels,
            traffic);
    }

    public static ModelVersionInfo Version(JsonElement version)
    {
        var number = JsonFields.Text(version, "version");
        var config = version.TryGetProperty("config", out var c) ? Config(c) : ModelConfig.Default;
        return new ModelVersionInfo(
            number,
            Status(JsonFields.Text(version, "status")),
            JsonFields.OptionalText(version, "reason"),
            version.TryGetProperty("inputs", out var inputs) && version.TryGetProperty("outputs", out var outputs) ? new ModelSignature(Specs(inputs), Specs(outputs)) : null,
            JsonFields.OptionalText(version, "execution_provider"),
            new VersionRegistration(number, ArtifactPath: "", JsonFields.Text(version, "sha256"), config),
            Replicas: version.TryGetProperty("replicas_serving", out var r) ? r.GetInt32() : 0);
    }

    /// <summary><c>{"weights": {...}, "sticky": ..., "shadows": [...], "rollout": ..., "bandit": {"exploration": ...}}</c>.</summary>
    public static TrafficPolicy Traffic(JsonElement traffic)
    {
        var weights = traffic.TryGetProperty("weights", out var w) && w.ValueKind == JsonValueKind.Object
            ? w.EnumerateObject().ToImmutableDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)
            : ImmutableDictionary<string, double>.Empty;
        var shadows = traffic.TryGetProperty("shadows", out var s) && s.ValueKind == JsonValueKind.Array
            ? [.. s.EnumerateArray().Select(t => new ShadowTarget(JsonFields.Text(t, "version"), t.GetProperty("fraction").GetDouble()))]
            : ImmutableArray<ShadowTarget>.Empty;
        var sticky = !traffic.TryGetProperty("sticky", out var k) || k.ValueKind != JsonValueKind.False;
        var bandit = traffic.TryGetProperty("bandit", out var b) && b.ValueKind == JsonValueKind.Object ? new Bandits.BanditSettings(b.GetProperty("exploration").GetDouble()) : null;
        return new TrafficPolicy(weights, sticky, shadows, JsonFields.OptionalText(traffic, "rollout"), bandit);
    }

    private static ModelConfig Config(JsonElement config)
    {
        var batching = config.TryGetProperty("dynamic_batching", out var b) && b.ValueKind == JsonValueKind.True
            ? BatchingConfig.Off with { Enabled = true }
            : BatchingConfig.Off;
        var device = JsonFields.OptionalText(config, "device");
        return ModelConfig.Default with
        {
            MaxBatchSize = config.GetProperty("max_batch_size").GetInt32(),
            Replicas = config.GetProperty("replicas").GetInt32(),
            Device = device == "auto" ? null : device,
            RequireAccelerator = config.TryGetProperty("require_accelerator", out var a) && a.ValueKind == JsonValueKind.True,
            Batching = batching,
            Pinned = config.TryGetProperty("pinned", out var p) && p.ValueKind == JsonValueKind.True,
            MemoryBytes = config.TryGetProperty("memory_bytes", out var m) ? m.GetInt64() : 0,
            Autoscaling = config.TryGetProperty("autoscaling", out var scaling) && scaling.ValueKind == JsonValueKind.Object ? Autoscaling(scaling) : null,
            Capture = config.TryGetProperty("capture", out var capture) && capture.ValueKind == JsonValueKind.Object ? Capture(capture) : null,
            Quality = config.TryGetProperty("quality", out var quality) && quality.ValueKind == JsonValueKind.Object ? Quality(quality) : null,
            DefaultVersion = JsonFields.OptionalText(config, "default_version") is { } label && label != ModelConfig.HighestVersion ? label : null,
            VersionPolicy = config.TryGetProperty("version_policy", out var policy) && policy.ValueKind == JsonValueKind.Object ? Policy(policy) : null,
        };
    }

    private static VersionPolicy Policy(JsonElement policy)
    {
        if (policy.TryGetProperty("latest", out var latest)) return new VersionPolicy(VersionPolicyKind.Latest, latest.GetProperty("num_versions").GetInt32());
        if (policy.TryGetProperty("specific", out var specific))
        {
            return new VersionPolicy(VersionPolicyKind.Specific, Versions: [.. specific.GetProperty("versions").EnumerateArray().Select(v => v.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
        return new VersionPolicy(VersionPolicyKind.All);
    }

    public static AutoscalingConfig Autoscaling(JsonElement scaling) => new(
        scaling.GetProperty("min_replicas").GetInt32(),
        scaling.GetProperty("max_replicas").GetInt32(),
        scaling.GetProperty("target_queue_per_replica").GetDouble(),
        scaling.GetProperty("upscale_delay_s").GetDouble(),
        scaling.GetProperty("downscale_delay_s").GetDouble(),
        scaling.GetProperty("idle_before_zero_s").GetDouble(),
        scaling.TryGetProperty("predictive", out var predictive) && predictive.ValueKind == JsonValueKind.True);

    private static CaptureConfig Capture(JsonElement capture) => new(
        capture.GetProperty("fraction").GetDouble(),
        capture.GetProperty("inputs").GetBoolean(),
        capture.GetProperty("outputs").GetBoolean(),
        [.. capture.GetProperty("redact").EnumerateArray().Select(r => r.GetString()!)],
        capture.GetProperty("retention_days").GetInt32());

    private static QualityConfig Quality(JsonElement quality) => new(
        JsonFields.Text(quality, "task") == "regression" ? QualityTask.Regression : QualityTask.Classification,
        JsonFields.OptionalText(quality, "output"),
        [.. quality.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!)],
        JsonFields.Text(quality, "segment"),
        quality.GetProperty("retention_hours").GetInt32());

    private static ImmutableArray<TensorSpec> Specs(JsonElement specs) => [.. specs.EnumerateArray().Select(spec =>
    {
        var datatype = JsonFields.Text(spec, "datatype");
        if (!TensorDataTypes.TryParse(datatype, out var type)) throw new InferenceFailedException($"The gateway described a tensor with an unknown datatype '{datatype}'.");
        return new TensorSpec(JsonFields.Text(spec, "name"), type, [.. spec.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())]);
    })];

    private static VersionStatus Status(string status) => Enum.TryParse<VersionStatus>(status, ignoreCase: true, out var parsed)
        ? parsed
        : throw new InferenceFailedException($"The gateway reported an unknown version status '{status}'.");
}
