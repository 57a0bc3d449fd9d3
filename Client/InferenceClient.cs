using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Rollouts;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Cluster.Client;

/// <summary>
/// A connection to the inference cluster through its Orleans gateway: run inference, list and
/// describe models. Errors surface as <see cref="Errors.ModelNotFoundException"/>,
/// <see cref="Errors.InvalidInferenceRequestException"/>, <see cref="Errors.ModelNotReadyException"/>
/// and <see cref="Errors.InferenceFailedException"/>.
/// </summary>
/// <example>
/// <code>
/// await using var client = await InferenceClient.ConnectAsync();
/// var response = await client.InferAsync("demo-mlp", [TensorData.From&lt;float&gt;("x", [1, 2, 3, 4], 1, 4)]);
/// float[] probabilities = response.Output("probabilities").ToArray&lt;float&gt;();
/// </code>
/// </example>
public sealed partial class InferenceClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IClusterClient _cluster;
    private readonly RouterGrains _routers;

    private InferenceClient(IHost host)
    {
        _host = host;
        _cluster = host.Services.GetRequiredService<IClusterClient>();
        _routers = new RouterGrains(_cluster);
    }

    /// <summary>Connects to the cluster; with no options, to the embedded default on this machine.</summary>
    public static async Task<InferenceClient> ConnectAsync(InferenceClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InferenceClientOptions();
        // No default configuration sources: a library must not pick up the host application's appsettings.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(options.LogLevel);
        builder.UseOrleansClient(client =>
        {
            if (options.PostgresConnectionString is { } connectionString)
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering([.. options.GatewayPorts], options.ServiceId, options.ClusterId);
            }
            // The calling application's current span travels with each call, so its trace continues through the cluster.
            client.AddActivityPropagation();
            client.Configure<ClientMessagingOptions>(o =>
            {
                o.ResponseTimeout = options.ResponseTimeout;
                o.CancelRequestOnTimeout = true;
            });
            client.UseConnectionRetryFilter(ConnectRetry(options.ConnectTimeout, options.TimeProvider));
            if (options.TlsCertificatePath is { } path)
            {
                var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, options.TlsCertificatePassword);
                client.UseTls(certificate, tls =>
                {
                    if (options.TlsAllowUntrustedServer) tls.AllowAnyRemoteCertificate();
                    tls.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = options.TlsServerName ?? certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
                });
            }
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new InferenceClient(host);
    }

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
    /// <param name="cancellationToken">Cancelling drops the request if it has not been computed yet.</param>
    /// <exception cref="Errors.QueueFullException">The version's queue is full; retry after <see cref="Errors.QueueFullException.RetryAfter"/>.</exception>
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
        return _routers.For(model).Infer(request, version, cancellationToken);
    }

    /// <summary>Batching settings and counters of a version's worker on the silo this client talks to.</summary>
    public Task<BatchingStats> GetBatchingStatsAsync(string model, string? version = null) =>
        _routers.For(model).GetBatchingStats(version);

    /// <summary>
    /// Uploads ONNX bytes as a new version; it is loaded (and warmed up) before this returns. A file
    /// ONNX Runtime cannot load throws <see cref="Errors.InvalidInferenceRequestException"/> with the reason, and nothing is registered.
    /// </summary>
    public Task<ModelVersionInfo> UploadVersionAsync(string model, string version, byte[] onnx, string? label = null, ModelConfig? config = null) =>
        Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Upload(onnx, config, label);

    /// <summary>Loads an unloaded or failed version again.</summary>
    public Task<ModelVersionInfo> LoadVersionAsync(string model, string version) => Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Load();

    /// <summary>Stops serving a version (after a short drain) and frees its sessions.</summary>
    public Task<ModelVersionInfo> UnloadVersionAsync(string model, string version) => Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Unload();

    /// <summary>Deletes a version; refused (<see cref="Errors.ConflictException"/>) while it serves traffic unless <paramref name="force"/>.</summary>
    public Task DeleteVersionAsync(string model, string version, bool force = false) => Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Delete(force);

    /// <summary>Points a label (e.g. <c>stable</c>, <c>canary</c>) at a version; usable wherever a version is.</summary>
    public Task<ModelInfo> SetLabelAsync(string model, string label, string version) => Acting<IModelGrain>(model).SetLabel(label, version);

    /// <summary>Replaces the serving settings of every version of a model and reloads the loaded ones.</summary>
    public Task<ModelInfo> SetConfigAsync(string model, ModelConfig config)
    {
        Audit.AuditActor.Set(Actor);
        return _cluster.SetConfigAndReload(model, config);
    }

    /// <summary>
    /// Changes how many replicas of a ready version serve, without a reload (0 scales it to zero;
    /// its next request waits for a cold start). With autoscaling on, the autoscaler may change it again.
    /// </summary>
    public Task<ModelVersionInfo> ScaleVersionAsync(string model, string version, int replicas) =>
        Acting<IModelVersionGrain>(GrainKeys.Version(model, version)).Scale(replicas, "set by a .NET client");

    /// <summary>A version's autoscaler: replicas, the load it sees, its recent decisions and cold starts.</summary>
    public Task<Scaling.AutoscalerStatus> GetAutoscalerAsync(string model, string version) =>
        _cluster.GetGrain<IAutoscalerGrain>(GrainKeys.Version(model, version)).GetStatus();

    /// <summary>Sets the A/B split of requests that name no version, e.g. <c>{"1": 90, "canary": 10}</c>; empty weights send all to the default.</summary>
    /// <param name="model">Model name.</param>
    /// <param name="weights">Relative weight per version or label.</param>
    /// <param name="sticky">Keep a routing key on one version while the weights stay the same.</param>
    /// <param name="shadows">Versions that get a sampled copy of requests, compared with the primary's answers and never returned.</param>
    /// <param name="bandit">When set, an Exp3 bandit shifts traffic between the weighted versions by the rewards posted with <see cref="SendFeedbackAsync"/>.</param>
    public Task<ModelInfo> SetTrafficAsync(string model, IReadOnlyDictionary<string, double> weights, bool sticky = true, IEnumerable<ShadowTarget>? shadows = null, Bandits.BanditSettings? bandit = null) =>
        Acting<IModelGrain>(model).SetTraffic(new TrafficPolicy(weights.ToImmutableDictionary(StringComparer.Ordinal), sticky, [.. shadows ?? []], Bandit: bandit));

    /// <summary>Starts a rollout of a version in steps guarded by gates; refused (<see cref="Errors.ConflictException"/>) while one is active.</summary>
    public Task<RolloutInfo> StartRolloutAsync(string model, RolloutPlan plan) => Acting<IRolloutGrain>(model).Start(plan);

    /// <summary>The model's active rollout, else its last one; null when it never had one.</summary>
    public Task<RolloutInfo?> GetRolloutAsync(string model) => Acting<IRolloutGrain>(model).GetCurrent();

    /// <summary>Holds the active rollout at its current weights.</summary>
    public Task<RolloutInfo> PauseRolloutAsync(string model) => Acting<IRolloutGrain>(model).Pause();

    /// <summary>Continues a paused rollout.</summary>
    public Task<RolloutInfo> ResumeRolloutAsync(string model) => Acting<IRolloutGrain>(model).Resume();

    /// <summary>Stops the active rollout and sends all traffic back to its baseline.</summary>
    public Task<RolloutInfo> AbortRolloutAsync(string model) => Acting<IRolloutGrain>(model).Abort();

    /// <summary>A version's statistics merged across silos: totals and the last 1, 15 and 60 minutes (latency histograms, counts).</summary>
    public async Task<Statistics.VersionStatistics> GetStatisticsAsync(string model, string? version = null)
    {
        var info = await GetModelAsync(model);
        var entry = info.Resolve(version) ?? throw new Errors.ModelNotFoundException($"Model '{model}' has no version or label '{version}'.");
        return await _cluster.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, entry.Version)).Get();
    }

    /// <summary>
    /// Posts a reward in [0, 1] for the answer to request <paramref name="requestId"/> (the id of the
    /// response), which the model's bandit learns from; false when the model served no such request in the last hour.
    /// </summary>
    public Task<bool> SendFeedbackAsync(string model, string requestId, double reward)
    {
        if (!(reward >= 0 && reward <= 1)) throw new ArgumentOutOfRangeException(nameof(reward), reward, "The reward must be in [0, 1].");
        return _cluster.GetGrain<IBanditGrain>(model).Feedback(requestId, reward);
    }

    /// <summary>The bandit's arms: probabilities now, rewards received, feedback matched and not.</summary>
    public Task<Bandits.BanditStatus> GetBanditAsync(string model) => _cluster.GetGrain<IBanditGrain>(model).GetStatus();

    /// <summary>Statistics of each version the current split sends traffic to (the default version when there is no split), keyed by version.</summary>
    public async Task<ImmutableDictionary<string, Statistics.VersionStatistics>> GetArmStatisticsAsync(string model)
    {
        var info = await GetModelAsync(model);
        var arms = info.Arms().Select(a => a.Version).ToList();
        var statistics = await Task.WhenAll(arms.Select(v => _cluster.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, v)).Get()));
        return arms.Zip(statistics).ToImmutableDictionary(a => a.First, a => a.Second, StringComparer.Ordinal);
    }

    /// <summary>How a shadow version's answers compared with the primary's, since it was first mirrored to.</summary>
    public async Task<Statistics.ShadowComparison> GetShadowComparisonAsync(string model, string version)
    {
        var info = await GetModelAsync(model);
        var entry = info.Resolve(version) ?? throw new Errors.ModelNotFoundException($"Model '{model}' has no version or label '{version}'.");
        return await _cluster.GetGrain<IShadowStatsGrain>(GrainKeys.Version(model, entry.Version)).Get();
    }

    /// <summary>Creates an API key for the HTTP gateway; the answer holds the key, which is never shown again.</summary>
    /// <param name="name">What the key is for.</param>
    /// <param name="scopes">What it may do.</param>
    /// <param name="models">Models it is limited to; none means all.</param>
    public Task<Security.CreatedApiKey> CreateApiKeyAsync(string name, Security.ApiKeyScope scopes, IEnumerable<string>? models = null)
    {
        Audit.AuditActor.Set(Actor);
        return _cluster.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry).Create(name, scopes, [.. models ?? []]);
    }

    /// <summary>Every key (hashes, never keys), revoked ones included.</summary>
    public async Task<ImmutableArray<Security.ApiKeyInfo>> ListApiKeysAsync() =>
        (await _cluster.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry).GetTable()).Keys;

    /// <summary>Revokes a key: gateways refuse it within 2 seconds.</summary>
    public Task<Security.ApiKeyInfo> RevokeApiKeyAsync(string id)
    {
        Audit.AuditActor.Set(Actor);
        return _cluster.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry).Revoke(id);
    }

    /// <summary>Gives a key a new secret, keeping its id and scopes; the old secret stops working within 2 seconds.</summary>
    public Task<Security.CreatedApiKey> RotateApiKeyAsync(string id)
    {
        Audit.AuditActor.Set(Actor);
        return _cluster.GetGrain<IApiKeyStoreGrain>(GrainKeys.Registry).Rotate(id);
    }

    /// <summary>Names of all registered models, sorted.</summary>
    public Task<ImmutableArray<string>> ListModelsAsync() =>
        _cluster.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List();

    /// <summary>A model's versions, their status and signatures; throws <see cref="Errors.ModelNotFoundException"/> for an unknown model.</summary>
    public async Task<ModelInfo> GetModelAsync(string model)
    {
        var info = await Acting<IModelGrain>(model).GetInfo();
        return info.Exists ? info : throw new Errors.ModelNotFoundException($"Unknown model '{model}'.");
    }

    // Changes made through the client are audited under this name (the gateway uses key ids).
    private const string Actor = "client";

    /// <summary>A model-keyed grain, with this client set as the audit actor of the call that follows.</summary>
    private T Acting<T>(string key) where T : IGrainWithStringKey
    {
        Audit.AuditActor.Set(Actor);
        return _cluster.GetGrain<T>(key);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static Func<Exception, CancellationToken, Task<bool>> ConnectRetry(TimeSpan timeout, TimeProvider time)
    {
        var started = time.GetTimestamp();
        return async (_, cancellationToken) =>
        {
            if (time.GetElapsedTime(started) >= timeout) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            return true;
        };
    }
}
