using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cluster.Silo.Gateway;

/// <summary>Writes JSON bodies through <see cref="Utf8JsonWriter"/> onto the response pipe.</summary>
internal static class JsonResults
{
    public static async Task Write(HttpResponse response, int status, Action<Utf8JsonWriter> write)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            write(writer);
        }
        await response.BodyWriter.FlushAsync();
    }

    /// <summary>Like <see cref="Write"/>, for bodies written asynchronously that flush to the client as they go.</summary>
    public static async Task Stream(HttpResponse response, int status, Func<Utf8JsonWriter, Task> write)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            await write(writer);
        }
        await response.BodyWriter.FlushAsync();
    }

    /// <summary>Writes <paramref name="value"/> through its source-generated serializer.</summary>
    public static Task Write<T>(HttpResponse response, int status, T value, JsonTypeInfo<T> type) =>
        Write(response, status, w => JsonSerializer.Serialize(w, value, type));

    public static Task Error(HttpResponse response, int status, string message) =>
        Write(response, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });
}
