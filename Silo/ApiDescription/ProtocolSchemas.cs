using System.ComponentModel;

namespace Cluster.Silo.ApiDescription;

/// <summary>
/// The KServe v2 (Open Inference Protocol) bodies, as types the OpenAPI document describes; the
/// gateway reads and writes them with its own streaming readers and writers.
/// </summary>
internal static class ProtocolSchemas
{
    [Description("An inference request. Tensor data is a flat or nested array in row-major order; BYTES elements are strings.")]
    internal sealed record InferRequest(InferInput[] Inputs, string? Id = null, Dictionary<string, object>? Parameters = null, InferRequestedOutput[]? Outputs = null);

    internal sealed record InferInput(string Name, long[] Shape, string Datatype, object[] Data, Dictionary<string, object>? Parameters = null);

    internal sealed record InferRequestedOutput(string Name, Dictionary<string, object>? Parameters = null);

    [Description("An inference response: one tensor per output, in the model's order.")]
    internal sealed record InferResponse(string ModelName, string ModelVersion, InferOutput[] Outputs, string? Id = null, Dictionary<string, object>? Parameters = null);

    internal sealed record InferOutput(string Name, long[] Shape, string Datatype, object[] Data, Dictionary<string, object>? Parameters = null);

    [Description("The server's name, version and the protocol extensions it serves.")]
    internal sealed record ServerMetadata(string Name, string Version, string[] Extensions);

    [Description("A model version's name, versions, platform and its inputs and outputs (-1: a dynamic dimension).")]
    internal sealed record ModelMetadata(string Name, string[] Versions, string Platform, TensorMetadata[] Inputs, TensorMetadata[] Outputs);

    internal sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

    [Description("Whether the version serves (200) or not (503).")]
    internal sealed record ModelReady(string Name, string Version, bool Ready);
}
