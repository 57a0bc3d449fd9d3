using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cluster.Cli.Http;

/// <summary>
/// The gateway's HTTP API as the tool needs it: a request in, parsed JSON (or a stream) out, every
/// error status turned into <see cref="GatewayRefusedException"/> and every transport failure into
/// <see cref="GatewayUnreachableException"/>, so commands never look at status codes.
/// </summary>
public sealed class Gateway : IDisposable
{
    private readonly HttpClient _http;

    public Gateway(Uri baseUrl, string? apiKey)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        ApiKey = apiKey;
    }

    public Uri BaseUrl => _http.BaseAddress!;

    public string? ApiKey { get; }

    /// <summary>The client itself, for the load tester's hot loop (which counts failures instead of throwing).</summary>
    public HttpClient Http => _http;

    public static Gateway Create(string url, string? apiKey)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url must be an absolute http(s) URL, not '{url}'");
        }
        return new Gateway(uri, apiKey);
    }

    public Task<JsonElement?> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonElement?> PostAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, null, cancellationToken);

    public Task<JsonElement?> SendJsonAsync(HttpMethod method, string path, string json, CancellationToken cancellationToken) =>
        SendAsync(method, path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Sends a request; answers its JSON body, or null for an empty one (204).</summary>
    public async Task<JsonElement?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(method, path, content, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length == 0) return null;
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Copies a (possibly long, streamed) answer to <paramref name="destination"/> as it arrives.</summary>
    public async Task CopyToAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(HttpMethod.Get, path, null, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>Copies a UTF-8 text answer (NDJSON) to <paramref name="destination"/> as it arrives.</summary>
    public async Task CopyToAsync(string path, TextWriter destination, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(HttpMethod.Get, path, null, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0) await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        await destination.FlushAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayUnreachableException(BaseUrl, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayUnreachableException(BaseUrl, new TimeoutException("no answer within the client's timeout", ex));
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new GatewayRefusedException((int)response.StatusCode, $"{method} {path}", ErrorText(text, response.ReasonPhrase));
        }
    }

    /// <summary>The gateway's errors are <c>{"error": "..."}</c>; anything else (a proxy's page) is shown as it came, shortened.</summary>
    private static string ErrorText(string body, string? reason)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }
        var trimmed = body.Trim();
        if (trimmed.Length == 0) return reason ?? "";
        return trimmed.Length > 300 ? trimmed[..300] + "..." : trimmed;
    }

    public void Dispose() => _http.Dispose();
}
