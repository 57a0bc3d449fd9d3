using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Inference;
using Cluster.Protocol.V2;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cluster.Client.Remote;

/// <summary>
/// One client's line to the HTTP gateway: inference over v2 gRPC, everything else over the HTTP API,
/// both with the API key, both through one connection pool that is safe for concurrent calls.
/// </summary>
internal sealed partial class GatewayConnection : IAsyncDisposable
{
    private readonly Uri _url;
    private readonly Uri _grpcUrl;
    private readonly HttpClient _http;
    private readonly GrpcChannel _channel;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _grpc;
    private readonly Metadata _headers = [];
    private readonly GatewayRetry _retry;
    private readonly GatewayClientOptions _options;

    private GatewayConnection(Uri url, string? apiKey, GatewayClientOptions options)
    {
        // Paths are relative to the address, so a gateway behind a path prefix keeps its prefix.
        _url = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _options = options;
        // One handler each: the gRPC channel takes over its handler's connection callback for its own subchannels.
        _http = new HttpClient(Handler(options), disposeHandler: true) { BaseAddress = _url, Timeout = Timeout.InfiniteTimeSpan };
        _grpcUrl = options.GrpcUrl ?? GrpcUrlBeside(url);
        _channel = GrpcChannel.ForAddress(_grpcUrl, new GrpcChannelOptions { HttpHandler = Handler(options), DisposeHttpClient = true });
        _grpc = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            _headers.Add("authorization", "Bearer " + apiKey);
        }
        _retry = new GatewayRetry(options.MaxRetries, options.MaxRetryDelay, options.TimeProvider);
    }

    /// <summary>Connects and checks that a gateway answers at <paramref name="url"/>.</summary>
    public static async Task<GatewayConnection> Open(Uri url, string? apiKey, GatewayClientOptions options, CancellationToken cancellationToken)
    {
        var connection = new GatewayConnection(url, apiKey, options);
        try
        {
            // Liveness needs no key, so a wrong key surfaces on the first call that needs one, with its reason.
            using var live = await connection._http.GetAsync("v2/health/live", cancellationToken);
            if (!live.IsSuccessStatusCode) throw new HttpRequestException($"{url} answered {(int)live.StatusCode} to /v2/health/live; is it a Cluster gateway?");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<InferenceResponse> Infer(string model, InferenceRequest request, string? version, CancellationToken cancellationToken) =>
        _retry.Run(async token =>
        {
            var deadline = _options.TimeProvider.GetUtcNow().UtcDateTime + _options.RequestTimeout;
            try
            {
                var response = await _grpc.ModelInferAsync(GrpcMessages.Request(model, version, request), _headers, deadline, token);
                return GrpcMessages.Response(response);
            }
            catch (RpcException ex)
            {
                throw GatewayErrors.FromGrpc(ex, _grpcUrl);
            }
        }, cancellationToken);

    /// <summary>
    /// Sends one HTTP call (again, on 429 and 503) and returns its JSON body; null for an empty one. With
    /// <paramref name="acceptServiceUnavailable"/>, a 503 with a body is an answer (a version that failed to load), not a refusal.
    /// </summary>
    public Task<JsonDocument?> Send(HttpMethod method, string path, Func<HttpContent?>? content = null, bool acceptServiceUnavailable = false, CancellationToken cancellationToken = default) =>
        _retry.Run(async token =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            using var response = await _http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var answered = response.IsSuccessStatusCode || (acceptServiceUnavailable && response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && body.Length > 0);
            if (!answered) throw Refusal(response, body);
            return body.Length == 0 ? null : JsonDocument.Parse(body);
        }, cancellationToken);

    /// <summary>Streams a response body line by line (NDJSON exports), after the same status checks.</summary>
    public async IAsyncEnumerable<string> Lines(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await _retry.Run(async token =>
        {
            var answer = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, token);
            if (answer.IsSuccessStatusCode) return answer;
            using (answer)
            {
                throw Refusal(answer, await answer.Content.ReadAsByteArrayAsync(token));
            }
        }, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0) yield return line;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _channel.ShutdownAsync();
        _channel.Dispose();
    }

    private static Exception Refusal(HttpResponseMessage response, byte[] body) =>
        GatewayErrors.FromHttp(response.StatusCode, GatewayErrors.Message(body, response.StatusCode), response.Headers.RetryAfter?.Delta);

    private static SocketsHttpHandler Handler(GatewayClientOptions options)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (options.AllowUntrustedServer) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return handler;
    }

    private static Uri GrpcUrlBeside(Uri url) => new UriBuilder(url) { Port = url.Port + 1, Path = "/" }.Uri;
}
