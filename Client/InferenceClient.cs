using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Cluster.Client.Remote;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Client;

/// <summary>
/// A connection to the inference cluster: run inference, manage models, traffic and keys. Two ways in,
/// one API: inside the cluster through its Orleans gateway (<see cref="ConnectAsync(InferenceClientOptions?, CancellationToken)"/>),
/// or from any other application through the HTTP gateway with an API key
/// (<see cref="ConnectAsync(Uri, string?, GatewayClientOptions?, CancellationToken)"/>). Errors surface as
/// <see cref="Errors.ModelNotFoundException"/>, <see cref="Errors.InvalidInferenceRequestException"/>,
/// <see cref="Errors.ModelNotReadyException"/>, <see cref="Errors.QueueFullException"/>,
/// <see cref="Errors.ConflictException"/> and <see cref="Errors.InferenceFailedException"/> in both; through
/// the gateway a refused key is an <see cref="UnauthorizedAccessException"/>.
/// </summary>
/// <example>
/// <code>
/// await using var client = await InferenceClient.ConnectAsync(new Uri("https://gateway:8080"), apiKey);
/// var response = await client.InferAsync("demo-mlp", [TensorData.From&lt;float&gt;("x", [1, 2, 3, 4], 1, 4)]);
/// float[] probabilities = response.Output("probabilities").ToArray&lt;float&gt;();
/// </code>
/// </example>
public sealed partial class InferenceClient : IAsyncDisposable
{
    // Exactly one of the two ways in is set.
    private readonly IHost? _host;
    private readonly IClusterClient? _cluster;
    private readonly RouterGrains? _routers;
    private readonly GatewayConnection? _gateway;

    private InferenceClient(IHost host)
    {
        _host = host;
        _cluster = host.Services.GetRequiredService<IClusterClient>();
        _routers = new RouterGrains(_cluster);
    }

    private InferenceClient(GatewayConnection gateway) => _gateway = gateway;

    /// <summary>Whether this client talks to the HTTP gateway (true) or joins the cluster as an Orleans client (false).</summary>
    public bool IsRemote => _gateway is not null;

    /// <summary>Runs inference on <paramref name="model"/>: the default version, or <paramref name="version"/> (a number or a label).</summary>
    /// <param name="model">Model name.</param>
    /// <param name="inputs">
    /// One tensor per model input, e.g. <c>TensorData.From&lt;float&gt;("x", values, rows, 4)</c>, or for a
    /// string input <c>TensorData.FromStrings("text", texts, rows, 1)</c> (read string outputs with <see cref="TensorData.ToStrings"/>).
    /// </param>
    /// <param name="version">Version number or label; null for the default version.</param>
    /// <param name="outputs">Outputs to return; null or empty for all.</param>
    /// <param name="id">Request id echoed in the response.</param>
    /// <param name="timeout">Deadline for compute to start; past it the request is dropped with <see cref="Errors.DeadlineExceededException"/>. Null uses the model's default.</param>
    /// <param name="routingKey">Keeps requests with the same key (e.g. a user id) on the same version of a sticky traffic split.</param>
    /// <param name="cancellationToken">Cancelling drops the request if it has not been computed yet (through the gateway, the call is cancelled on the server too).</param>
    /// <exception cref="Errors.QueueFullException">The version's queue is full; retry after <see cref="Errors.QueueFullException.RetryAfter"/> (through the gateway the client retries first, see <see cref="GatewayClientOptions.MaxRetries"/>).</exception>
    public Task<InferenceResponse> InferAsync(
        string model,
        IEnumerable<TensorData> inputs,
        string? version = null,
        IEnumerable<string>? outputs = null,
        string? id = null,
        TimeSpan? timeout = null,
        string? routingKey = null,
        CancellationToken cancellationToken = default)
    {
        var request = new InferenceRequest(id, [.. inputs], outputs is null ? [] : [.. outputs], timeout, routingKey);
        return _gateway?.Infer(model, request, version, cancellationToken) ?? Routers().For(model).Infer(request, version, cancellationToken);
    }

    /// <summary>Batching settings and counters of a version's worker on the silo this client talks to (through the gateway: the gateway's silo).</summary>
    public Task<BatchingStats> GetBatchingStatsAsync(string model, string? version = null) =>
        _gateway?.GetBatchingStats(model, version) ?? Routers().For(model).GetBatchingStats(version);

    /// <summary>Names of all registered models (through the gateway, those the key may see), sorted.</summary>
    public Task<ImmutableArray<string>> ListModelsAsync() =>
        _gateway?.ListModels() ?? Cluster().GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List();

    /// <summary>
    /// A model's versions, their status and signatures; throws <see cref="Errors.ModelNotFoundException"/> for an unknown model.
    /// Through the gateway a version's config holds the settings the management API shows (batch size, replicas, device, batching, pinning, memory).
    /// </summary>
    public async Task<ModelInfo> GetModelAsync(string model)
    {
        if (_gateway is not null) return await _gateway.GetModel(model);
        var info = await Acting<IModelGrain>(model).GetInfo();
        return info.Exists ? info : throw new Errors.ModelNotFoundException($"Unknown model '{model}'.");
    }

    // Changes made through the client are audited under this name (the gateway uses key ids).
    private const string Actor = "client";

    /// <summary>A model-keyed grain, with this client set as the audit actor of the call that follows.</summary>
    private T Acting<T>(string key, [CallerMemberName] string operation = "") where T : IGrainWithStringKey
    {
        Audit.AuditActor.Set(Actor);
        return Cluster(operation).GetGrain<T>(key);
    }

    /// <summary>The Orleans client; an operation the gateway does not offer yet says so instead of failing obscurely.</summary>
    private IClusterClient Cluster([CallerMemberName] string operation = "") => _cluster ?? throw NotOffered(operation);

    private RouterGrains Routers([CallerMemberName] string operation = "") => _routers ?? throw NotOffered(operation);

    private static NotSupportedException NotOffered(string operation) => new(
        $"{operation} is not offered through the HTTP gateway yet; connect inside the cluster (ConnectAsync(InferenceClientOptions)) to use it.");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
            return;
        }
        try
        {
            await _host!.StopAsync();
        }
        finally
        {
            _host!.Dispose();
        }
    }
}
