using System.Text.Json;
using Cluster.Models;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Inference;

/// <summary>Writes v2 model metadata: name, versions, platform, inputs and outputs, plus our serving parameters.</summary>
internal static class ModelMetadataJsonWriter
{
    public const string Platform = "onnxruntime_onnx";

    /// <summary>The platform a pipeline version reports: Triton's name for a graph of models.</summary>
    public const string PipelinePlatform = "ensemble";

    /// <summary>The platform <paramref name="version"/> is served on.</summary>
    public static string PlatformOf(ModelVersionInfo version) => version.Registration.Kind == VersionKind.Pipeline ? PipelinePlatform : Platform;

    public static void Write(Utf8JsonWriter writer, ModelInfo model, ModelVersionInfo version)
    {
        writer.WriteStartObject();
        writer.WriteString("name", model.Name);
        writer.WriteStartArray("versions");
        foreach (var v in model.Versions) writer.WriteStringValue(v.Version);
        writer.WriteEndArray();
        writer.WriteString("platform", PlatformOf(version));
        TensorSpecJson.Write(writer, "inputs", version.Signature?.Inputs ?? []);
        TensorSpecJson.Write(writer, "outputs", version.Signature?.Outputs ?? []);
        writer.WriteStartObject("parameters");
        writer.WriteString("version", version.Version);
        writer.WriteString("default_version", model.DefaultVersion);
        writer.WriteString("state", version.Status.ToString().ToUpperInvariant());
        if (version.Reason is not null) writer.WriteString("reason", version.Reason);
        if (version.ExecutionProvider is not null) writer.WriteString("execution_provider", version.ExecutionProvider);
        writer.WriteNumber("max_batch_size", version.Registration.Config.MaxBatchSize);
        writer.WriteNumber("replicas", version.Registration.Config.Replicas);
        writer.WriteString("sha256", version.Registration.Sha256);
        writer.WriteStartArray("replica_silos");
        foreach (var silo in version.ReplicaSilos.IsDefault ? [] : version.ReplicaSilos) writer.WriteStringValue(silo.ToString());
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
