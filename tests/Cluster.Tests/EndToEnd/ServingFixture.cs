using Cluster.Client;
using Cluster.Modeling;
using Cluster.Tests.Support;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// One silo process shared by the end-to-end tests, serving: the built-in demo model (written by
/// the silo itself, as on a fresh machine), the real PaddleOCR classifier, identity models for
/// every JSON datatype, string models, a fixed-batch model, a two-version model with a label, and a corrupt one.
/// </summary>
public sealed class ServingFixture : IAsyncLifetime
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;
    public const long MaxElementsPerTensor = 1_000_000;
    public const int MaxRowsPerRequest = 2000;

    /// <summary>Models whose worker holds requests 600 ms and queues at most 2, one per test that needs waiting requests.</summary>
    public static readonly string[] SlowQueueModels = ["slow-full", "slow-deadline-http", "slow-deadline-client", "slow-full-gateway", "slow-retry-gateway"];

    /// <summary>
    /// Models whose worker holds requests 10 s (the most a config allows), for the tests that cancel a waiting request: on a loaded machine the
    /// cancel can take longer than 600 ms to arrive, and the batch must still be waiting when it does.
    /// </summary>
    public static readonly string[] CancelModels = ["slow-cancel", "slow-cancel-client", "slow-cancel-gateway", "slow-deadline-gateway"];

    private readonly TemporaryRepository _repository = new();
    private SiloProcess? _silo;
    private InferenceClient? _client;
    private InferenceClient? _remoteClient;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");
    public InferenceClient Client => _client ?? throw new InvalidOperationException("Not started.");

    /// <summary>The same client API from outside the cluster: through the silo's HTTP gateway and its gRPC port.</summary>
    public InferenceClient RemoteClient => _remoteClient ?? throw new InvalidOperationException("Not started.");
    public HttpClient Http => Silo.Http;
    public string PaddlePath { get; private set; } = "";
    public TemporaryRepository Repository => _repository;
    public string StringsPath { get; private set; } = "";
    public string DemoPath => Path.Combine(_repository.Root, DemoMlp.Name, "1", "model.onnx");

    /// <summary>Where the silo writes captured predictions (beside the repository, whose scan would take its folders for models).</summary>
    public string CaptureDirectory { get; } = Path.Combine(Path.GetTempPath(), "captures-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        PaddlePath = _repository.AddFile("paddle-cls", "1", await PaddleOcrClassifier.GetPathAsync(), """{"max_batch_size": 8}""");
        foreach (var type in TestModels.JsonTypes) _repository.Add(TestModels.IdentityName(type), "1", TestModels.Identity(type));
        StringsPath = _repository.Add("strings", "1", TestModels.Strings(), """{"max_batch_size": 8}""");
        _repository.Add("strings-batched", "1", TestModels.Strings(), """{"max_batch_size": 32, "dynamic_batching": {"max_queue_delay_microseconds": 100000}}""");
        _repository.Add("fixed-batch", "1", TestModels.FixedBatchRelu(), """{"max_batch_size": 0}""");
        _repository.Add("scale", "1", TestModels.Scale(2f));
        _repository.Add("scale", "2", TestModels.Scale(3f), """{"labels": {"stable": "1"}, "replicas": 2}""");
        _repository.Add("broken", "1", TestModels.Corrupt());
        _repository.Add("mlp-fixed", "1", DemoMlp.Build(), """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 2000}}""");
        _repository.Add("mlp-adaptive", "1", DemoMlp.Build(), """{"max_batch_size": 64, "replicas": 2, "dynamic_batching": {"latency_target_ms": 20}}""");
        _repository.Add("probe", "1", TestModels.BatchProbe(), """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 100000}}""");
        _repository.Add("lookup", "1", TestModels.Lookup(), """{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 100000, "preferred_batch_sizes": [10]}}""");
        foreach (var name in SlowQueueModels)
        {
            _repository.Add(name, "1", TestModels.Scale(1f), """{"max_batch_size": 8, "dynamic_batching": {"max_queue_delay_microseconds": 600000, "max_queue_size": 2}}""");
        }
        foreach (var name in CancelModels)
        {
            _repository.Add(name, "1", TestModels.Scale(1f), """{"max_batch_size": 8, "dynamic_batching": {"max_queue_delay_microseconds": 10000000, "max_queue_size": 2}}""");
        }
        _silo = await SiloProcess.StartAsync(_repository.Root, "--Dashboard:Enabled=true", $"--Gateway:MaxRequestBodyBytes={MaxBodyBytes}", "--Models:PollSeconds=1",
            $"--Gateway:MaxElementsPerTensor={MaxElementsPerTensor}", $"--Gateway:MaxRowsPerRequest={MaxRowsPerRequest}",
            $"--Capture:Directory={CaptureDirectory}");
        _client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [_silo.GatewayPort] });
        _remoteClient = await InferenceClient.ConnectAsync(new Uri($"http://127.0.0.1:{_silo.HttpPort}"), apiKey: null,
            new GatewayClientOptions { GrpcUrl = new Uri($"http://127.0.0.1:{_silo.GrpcPort}") });
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_remoteClient is not null) await _remoteClient.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        _repository.Dispose();
        if (Directory.Exists(CaptureDirectory)) Directory.Delete(CaptureDirectory, recursive: true);
    }
}
