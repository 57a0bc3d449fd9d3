using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cluster.Tests.Support;

/// <summary>
/// An alert webhook receiver inside the test process (Kestrel on loopback): <c>POST /{name}</c> records the
/// request and answers the next scripted status for that name, 200 once the script is spent.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _base;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _script = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        _base = baseUrl;
        app.MapPost("/{name}", async (HttpContext http, string name) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var status = _script.TryGetValue(name, out var next) && next.TryDequeue(out var scripted) ? scripted : StatusCodes.Status200OK;
            var headers = http.Request.Headers.Where(h => h.Key.StartsWith("X-Cluster-", StringComparison.OrdinalIgnoreCase) || h.Key == "Content-Type")
                .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _received.Enqueue(new ReceivedWebhook(name, status, headers, body.ToArray()));
            http.Response.StatusCode = status;
        });
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), url);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The URL of the receiver called <paramref name="name"/>.</summary>
    public string Url(string name) => $"{_base}/{name}";

    /// <summary>Makes the next requests to <paramref name="name"/> answer <paramref name="statuses"/>, in order.</summary>
    public void AnswerNext(string name, params int[] statuses)
    {
        var queue = _script.GetOrAdd(name, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses) queue.Enqueue(status);
    }

    /// <summary>Requests <paramref name="name"/> received, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> For(string name) => [.. _received.Where(r => r.Receiver == name)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a <see cref="WebhookReceiver"/> got, and the status it answered.</summary>
public sealed record ReceivedWebhook(string Receiver, int Answered, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"no {name} header; got {string.Join(", ", Headers.Keys)}");
}
