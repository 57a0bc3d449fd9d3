using System.Globalization;
using System.Net.Http.Headers;
using Cluster.Cli.Http;

namespace Cluster.Cli.Loadtest;

/// <summary>Sends the same v2 REST request again and again: JSON, or the binary tensor data extension.</summary>
internal sealed class HttpSender : IInferenceSender
{
    private readonly HttpClient _http;
    private readonly string _path;
    private readonly byte[] _body;
    private readonly int? _headerLength;

    private HttpSender(HttpClient http, string path, byte[] body, int? headerLength)
    {
        _http = http;
        _path = path;
        _body = body;
        _headerLength = headerLength;
    }

    public static HttpSender Json(HttpClient http, string path, IReadOnlyList<InputTensor> inputs) =>
        new(http, path, JsonRequestBody.Write(inputs, binary: false), null);

    public static HttpSender Binary(HttpClient http, string path, IReadOnlyList<InputTensor> inputs)
    {
        var header = JsonRequestBody.Write(inputs, binary: true);
        return new(http, path, [.. header, .. inputs.SelectMany(i => i.Raw())], header.Length);
    }

    public async Task SendAsync(CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(_body);
        if (_headerLength is { } length)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.Add("Inference-Header-Content-Length", length.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await _http.PostAsync(_path, content, cancellationToken);
        // Read the whole answer: a load test that skips the body measures less than a real client pays.
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
            throw new GatewayRefusedException((int)response.StatusCode, "POST " + _path, text);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
