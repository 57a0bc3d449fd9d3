using System.IO.Pipelines;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Silo.Inference.Json;
using Cluster.Tensors;

namespace Cluster.Silo.Inference;

/// <summary>Writes a v2 inference response straight from the output bytes.</summary>
internal static class InferenceResponseJsonWriter
{
    /// <summary>
    /// Refuses, before anything is written, a BYTES output bound for JSON whose elements are not all
    /// UTF-8: a JSON string cannot carry them, writing them unchecked makes JSON that clients cannot
    /// parse, and replacing them would silently change the answer. Binary outputs carry any bytes.
    /// </summary>
    public static void EnsureJsonCanHold(InferenceResponse response, Func<string, bool>? binary = null)
    {
        foreach (var output in response.Outputs)
        {
            if (output.DataType != TensorDataType.Bytes || binary?.Invoke(output.Name) == true || BytesTensor.IsUtf8(output.Data)) continue;
            throw new InvalidInferenceRequestException(
                $"Output '{output.Name}' holds BYTES that are not valid UTF-8, which JSON strings cannot carry; ask for it as binary data " +
                $"(parameters.binary_data on the output, or binary_data_output on the request) or call the gRPC endpoint.");
        }
    }

    /// <summary>Bytes written after which a streamed response is flushed to the client, so a large one is never held whole.</summary>
    public const int FlushThreshold = 64 * 1024;

    /// <summary>
    /// Writes the response; outputs <paramref name="binary"/> selects carry only <c>binary_data_size</c>,
    /// their bytes follow the JSON. With <paramref name="body"/> (the writer's own target, the response
    /// pipe) every <see cref="FlushThreshold"/> bytes go to the client as they are written.
    /// </summary>
    public static async Task Write(Utf8JsonWriter writer, InferenceResponse response, Func<string, bool>? binary = null,
        PipeWriter? body = null, CancellationToken cancellationToken = default)
    {
        var flushedAt = 0L;
        writer.WriteStartObject();
        writer.WriteString("model_name", response.ModelName);
        writer.WriteString("model_version", response.ModelVersion);
        if (response.Id is not null) writer.WriteString("id", response.Id);
        writer.WriteStartArray("outputs");
        foreach (var output in response.Outputs)
        {
            writer.WriteStartObject();
            TensorJsonElements.WriteHead(writer, output.Name, output.DataType, output.Shape.AsSpan());
            if (binary?.Invoke(output.Name) == true)
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", output.Data.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data");
                writer.WriteStartArray();
                var offset = 0;
                while (true)
                {
                    offset = TensorJsonElements.Write(writer, output.DataType, output.Data, offset, flushedAt + FlushThreshold);
                    var written = TensorJsonElements.Written(writer);
                    if (written < flushedAt + FlushThreshold) break;
                    writer.Flush();
                    if (body is not null) await body.FlushAsync(cancellationToken);
                    flushedAt = written;
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
