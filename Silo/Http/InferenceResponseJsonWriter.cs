using System.Text.Json;
using Cluster.Inference;

namespace Cluster.Silo.Http;

/// <summary>Writes a v2 inference response straight from the output bytes.</summary>
internal static class InferenceResponseJsonWriter
{
    /// <summary>Writes the response; outputs <paramref name="binary"/> selects carry only <c>binary_data_size</c>, their bytes follow the JSON.</summary>
    public static void Write(Utf8JsonWriter writer, InferenceResponse response, Func<string, bool>? binary = null)
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
            if (binary?.Invoke(output.Name) == true)
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", output.Data.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data");
                TensorJsonData.Write(writer, output.DataType, output.Data);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
