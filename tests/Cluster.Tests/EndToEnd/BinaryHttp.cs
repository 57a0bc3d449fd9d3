using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// Sends a v2 request in the binary tensor data extension's form (a JSON header, then raw bytes) and
/// splits the answer the way a Triton client does: by the response's own Inference-Header-Content-Length.
/// </summary>
public static class BinaryHttp
{
    public const string HeaderLength = "Inference-Header-Content-Length";

    /// <param name="headerLength">The header's value: the JSON's length unless given; null sends none.</param>
    public static async Task<Answer> Send(HttpClient http, string path, string json, byte[] binary, string? headerLength = "")
    {
        var header = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent([.. header, .. binary]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (headerLength is not null) content.Headers.Add(HeaderLength, headerLength.Length == 0 ? header.Length.ToString() : headerLength);
        using var response = await http.PostAsync(path, content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var declared = response.Headers.TryGetValues(HeaderLength, out var values) ? int.Parse(values.Single()) : (int?)null;
        var jsonLength = declared ?? body.Length;
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, declared, response.Content.Headers.ContentLength,
            JsonDocument.Parse(body.AsMemory(0, jsonLength)).RootElement.Clone(), body[jsonLength..]);
    }

    /// <param name="Status">The HTTP status.</param>
    /// <param name="ContentType">The response's media type.</param>
    /// <param name="HeaderLength">The response's Inference-Header-Content-Length, when it has one.</param>
    /// <param name="ContentLength">The response's Content-Length, when it has one.</param>
    /// <param name="Json">The JSON part.</param>
    /// <param name="Binary">The bytes after it.</param>
    public sealed record Answer(HttpStatusCode Status, string? ContentType, int? HeaderLength, long? ContentLength, JsonElement Json, byte[] Binary)
    {
        public string Error => Json.GetProperty("error").GetString()!;

        public JsonElement Output(string name) => HttpJson.Output(Json, name);
    }
}
