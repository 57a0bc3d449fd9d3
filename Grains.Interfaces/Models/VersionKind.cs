namespace Cluster.Models;

/// <summary>What a version's artifact is: an ONNX model served by replicas, or a pipeline of other models.</summary>
[GenerateSerializer, Alias("Cluster.VersionKind")]
public enum VersionKind
{
    /// <summary>An ONNX file (<c>model.onnx</c>), run by the version's replicas.</summary>
    Model,

    /// <summary>A pipeline definition (<c>pipeline.json</c>) whose steps call other models' routers.</summary>
    Pipeline,
}
