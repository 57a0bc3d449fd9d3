using System.Text.Json;
using Cluster.Models;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Management;

/// <summary>JSON of the management API: models with their versions, status, labels and settings.</summary>
internal static class ManagementJsonWriter
{
    public static void WriteModel(Utf8JsonWriter writer, ModelInfo model, bool detailed)
    {
        writer.WriteStartObject();
        writer.WriteString("name", model.Name);
        writer.WriteString("default_version", model.DefaultVersion);
        writer.WriteNumber("revision", model.Revision);
        writer.WriteStartObject("labels");
        foreach (var (label, version) in model.Labels ?? []) writer.WriteString(label, version);
        writer.WriteEndObject();
        writer.WriteStartArray("versions");
        foreach (var version in model.Versions) WriteVersion(writer, version, detailed);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteVersion(Utf8JsonWriter writer, ModelVersionInfo version, bool detailed)
    {
        writer.WriteStartObject();
        writer.WriteString("version", version.Version);
        writer.WriteString("status", version.Status.ToString().ToLowerInvariant());
        if (version.Reason is not null) writer.WriteString("reason", version.Reason);
        writer.WriteString("sha256", version.Registration.Sha256);
        if (version.Status == VersionStatus.Ready) writer.WriteNumber("replicas_serving", version.Replicas);
        if (detailed)
        {
            if (version.ExecutionProvider is not null) writer.WriteString("execution_provider", version.ExecutionProvider);
            var config = version.Registration.Config;
            writer.WriteStartObject("config");
            writer.WriteNumber("max_batch_size", config.MaxBatchSize);
            writer.WriteNumber("replicas", config.Replicas);
            writer.WriteString("device", config.Device ?? "auto");
            writer.WriteBoolean("require_accelerator", config.RequireAccelerator);
            writer.WriteBoolean("dynamic_batching", config.Batching.Enabled);
            writer.WriteBoolean("pinned", config.Pinned);
            if (config.MemoryBytes > 0) writer.WriteNumber("memory_bytes", config.MemoryBytes);
            if (config.Autoscaling is { } scaling)
            {
                writer.WritePropertyName("autoscaling");
                WriteAutoscaling(writer, scaling);
            }
            writer.WriteEndObject();
            if (version.Signature is { } signature)
            {
                TensorSpecJson.Write(writer, "inputs", signature.Inputs);
                TensorSpecJson.Write(writer, "outputs", signature.Outputs);
            }
        }
        writer.WriteEndObject();
    }

    public static void WriteAutoscaling(Utf8JsonWriter writer, AutoscalingConfig scaling)
    {
        writer.WriteStartObject();
        writer.WriteNumber("min_replicas", scaling.MinReplicas);
        writer.WriteNumber("max_replicas", scaling.MaxReplicas);
        writer.WriteNumber("target_queue_per_replica", scaling.TargetQueuePerReplica);
        writer.WriteNumber("upscale_delay_s", scaling.UpscaleDelaySeconds);
        writer.WriteNumber("downscale_delay_s", scaling.DownscaleDelaySeconds);
        writer.WriteNumber("idle_before_zero_s", scaling.IdleSecondsBeforeZero);
        writer.WriteEndObject();
    }
}
