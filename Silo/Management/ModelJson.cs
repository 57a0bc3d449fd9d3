using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Silo.Management;

/// <summary>The management API's view of models: versions, status, labels and settings, as bodies for the serializer.</summary>
internal static class ModelJson
{
    public static ModelBody Model(ModelInfo model, bool detailed) =>
        new(model.Name, model.DefaultVersion, model.Revision, model.Labels ?? ImmutableDictionary<string, string>.Empty, [.. model.Versions.Select(v => Version(v, detailed))]);

    /// <summary>A version; <paramref name="detailed"/> adds its execution provider, config and signature.</summary>
    public static VersionBody Version(ModelVersionInfo version, bool detailed)
    {
        var config = version.Registration.Config;
        return new(
            version.Version,
            version.Status.ToString().ToLowerInvariant(),
            version.Reason,
            version.Registration.Sha256,
            version.Status == VersionStatus.Ready ? version.Replicas : null,
            detailed ? version.ExecutionProvider : null,
            detailed
                ? new ConfigBody(config.MaxBatchSize, config.Replicas, config.Device ?? "auto", config.RequireAccelerator, config.Batching.Enabled, config.Pinned,
                    config.MemoryBytes > 0 ? config.MemoryBytes : null, config.Autoscaling is { } scaling ? Autoscaling(scaling) : null,
                    config.Capture is { } capture ? new CaptureBody(capture.Fraction, capture.Inputs, capture.Outputs, capture.Redact.IsDefault ? [] : [.. capture.Redact], capture.RetentionDays) : null,
                    config.Quality is { } quality ? Quality(quality) : null,
                    config.DefaultVersion ?? ModelConfig.HighestVersion,
                    config.VersionPolicy is { } policy ? Policy(policy) : null)
                : null,
            detailed && version.Signature is { } inputs ? Specs(inputs.Inputs) : null,
            detailed && version.Signature is { } outputs ? Specs(outputs.Outputs) : null);
    }

    private static QualityBody Quality(QualityConfig quality) => new(quality.Task == QualityTask.Classification ? "classification" : "regression",
        quality.Output, quality.Classes.IsDefault ? [] : [.. quality.Classes], quality.Segment, quality.RetentionHours);

    private static VersionPolicyBody Policy(VersionPolicy policy) => policy.Kind switch
    {
        VersionPolicyKind.Latest => new(null, new LatestBody(policy.NumVersions), null),
        VersionPolicyKind.Specific => new(null, null, new SpecificBody([.. policy.Versions.Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture))])),
        _ => new(new AllBody(), null, null),
    };

    public static AutoscalingBody Autoscaling(AutoscalingConfig scaling) => new(scaling.MinReplicas, scaling.MaxReplicas, scaling.TargetQueuePerReplica,
        scaling.UpscaleDelaySeconds, scaling.DownscaleDelaySeconds, scaling.IdleSecondsBeforeZero, scaling.Predictive);

    private static TensorSpecBody[] Specs(ImmutableArray<TensorSpec> specs) => [.. specs.Select(s => new TensorSpecBody(s.Name, s.DataType.ProtocolName(), [.. s.Shape]))];

    internal sealed record ModelBody(string Name, string? DefaultVersion, long Revision, IReadOnlyDictionary<string, string> Labels, VersionBody[] Versions);

    /// <summary>A version; null members are left out (<c>replicas_serving</c> only while ready, the detailed ones unless asked for).</summary>
    internal sealed record VersionBody(
        string Version,
        string Status,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
        string Sha256,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ReplicasServing,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExecutionProvider,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConfigBody? Config,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TensorSpecBody[]? Inputs,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TensorSpecBody[]? Outputs);

    internal sealed record ConfigBody(
        int MaxBatchSize,
        int Replicas,
        string Device,
        bool RequireAccelerator,
        bool DynamicBatching,
        bool Pinned,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MemoryBytes,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AutoscalingBody? Autoscaling,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CaptureBody? Capture,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QualityBody? Quality,
        string DefaultVersion,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VersionPolicyBody? VersionPolicy);

    /// <summary>Triton's <c>version_policy</c>: exactly one member is written.</summary>
    internal sealed record VersionPolicyBody(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AllBody? All,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LatestBody? Latest,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SpecificBody? Specific);

    internal sealed record AllBody;

    internal sealed record LatestBody(int NumVersions);

    internal sealed record SpecificBody(long[] Versions);

    /// <summary>The quality block as config.json spells it, with its defaults filled in.</summary>
    internal sealed record QualityBody(string Task, string? Output, string[] Classes, string Segment, int RetentionHours);

    /// <summary>Prediction capture as config.json spells it.</summary>
    internal sealed record CaptureBody(double Fraction, bool Inputs, bool Outputs, string[] Redact, int RetentionDays);

    internal sealed record AutoscalingBody(
        int MinReplicas,
        int MaxReplicas,
        double TargetQueuePerReplica,
        [property: JsonPropertyName("upscale_delay_s")] double UpscaleDelaySeconds,
        [property: JsonPropertyName("downscale_delay_s")] double DownscaleDelaySeconds,
        [property: JsonPropertyName("idle_before_zero_s")] double IdleSecondsBeforeZero,
        bool Predictive);

    /// <summary>An input or output: name, datatype, shape with -1 for dynamic dimensions.</summary>
    internal sealed record TensorSpecBody(string Name, string Datatype, long[] Shape);
}
