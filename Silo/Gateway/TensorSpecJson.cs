using System.Text.Json;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Silo.Gateway;

/// <summary>Writes a list of tensor specs as v2 metadata does: name, datatype, shape with -1 for dynamic dimensions.</summary>
internal static class TensorSpecJson
{
    public static void Write(Utf8JsonWriter writer, string property, IEnumerable<TensorSpec> specs)
    {
        writer.WriteStartArray(property);
        foreach (var spec in specs)
        {
            writer.WriteStartObject();
            TensorJsonElements.WriteHead(writer, spec.Name, spec.DataType, spec.Shape.AsSpan());
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
