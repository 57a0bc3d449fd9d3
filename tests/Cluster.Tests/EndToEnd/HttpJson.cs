using System.Net;
using System.Text;
using System.Text.Json;

namespace Cluster.Tests.EndToEnd;

/// <summary>Small helpers for calling the v2 REST API and reading its JSON.</summary>
public static class HttpJson
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadBody(response));
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient http, string path, object body) =>
        PostRaw(http, path, JsonSerializer.Serialize(body));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostRaw(HttpClient http, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadBody(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PutRaw(HttpClient http, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(path, content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadBody(response));
    }

    public static object Tensor(string name, string datatype, long[] shape, object data) =>
        new { name, datatype, shape, data };

    public static float[] Floats(JsonElement output) =>
        [.. output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle())];

    public static JsonElement Output(JsonElement response, string name) =>
        response.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);

    private static async Task<JsonElement> ReadBody(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0) return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
