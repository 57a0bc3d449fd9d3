using System.Text.Json;

namespace Cluster.Silo.Gateway;

/// <summary>Small writing helpers shared by the JSON writers.</summary>
internal static class JsonWriterExtensions
{
    /// <summary>Writes the number, or null when there is none.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number) writer.WriteNumber(name, number);
        else writer.WriteNull(name);
    }
}
