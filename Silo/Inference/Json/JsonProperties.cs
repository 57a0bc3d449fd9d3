using System.Text.Json;
using Cluster.Errors;

namespace Cluster.Silo.Inference.Json;

/// <summary>Walks the properties of a request's JSON objects; every mistake becomes an <see cref="InvalidInferenceRequestException"/>.</summary>
internal static class JsonProperties
{
    /// <summary>Moves to the next property of the current object and onto its value; false at the object's end.</summary>
    public static bool Next(ref Utf8JsonReader reader, out string name)
    {
        name = "";
        if (!reader.Read()) throw Invalid("The JSON ends too early.");
        if (reader.TokenType == JsonTokenType.EndObject) return false;
        name = reader.GetString()!;
        if (!reader.Read()) throw Invalid("The JSON ends too early.");
        return true;
    }

    public static string ReadString(ref Utf8JsonReader reader, string property) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Invalid($"'{property}' must be a string.");

    public static bool ReadBool(ref Utf8JsonReader reader, string property) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Invalid($"'{property}' must be true or false."),
    };

    public static InvalidInferenceRequestException Invalid(string message) => new(message);
}
