using System.Text.Json;
using Cluster.Inference;

namespace Cluster.Silo.Http;

/// <summary>Writes a v2 inference response straight from the output bytes.</summary>
internal static class InferenceResponseJsonWriter
{
    public static void Write(Utf8JsonWriter writer, InferenceResponse response)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name", response.ModelName);
        writer.WriteString("model_version", response.ModelVersion);
        if (response.Id is not null) writer.WriteString("id", response.Id);
        writer.WriteStartArray("outputs");
        foreach (var output in response.Outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", Cluster.Tensors.TensorDataTypes.ProtocolName(output.DataType));
            writer.WriteStartArray("shape");
            foreach (var dim in output.Shape) writer.WriteNumberValue(dim);
            writer.WriteEndArray();
            writer.WritePropertyName("data");
            TensorJsonData.Write(writer, output.DataType, output.Data);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
