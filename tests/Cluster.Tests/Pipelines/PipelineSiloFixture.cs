using System.Text;
using Cluster.Client;
using Cluster.Tests.Support;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// A silo process whose repository holds two classifiers, a cascade pipeline over them, an
/// ensemble pipeline in two versions, and a pipeline that calls a model nobody has.
/// </summary>
public sealed class PipelineSiloFixture : IAsyncLifetime
{
    private readonly TemporaryRepository _repository = new();
    private SiloProcess? _silo;
    private InferenceClient? _client;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");
    public HttpClient Http => Silo.Http;
    public InferenceClient Client => _client ?? throw new InvalidOperationException("Not started.");
    public string SmallPath { get; private set; } = "";
    public string LargePath { get; private set; } = "";

    public const string Cascade = """
        {"inputs": ["x"], "steps": [
          {"name": "small", "model": "small", "inputs": {"x": "pipeline.x"}},
          {"name": "large", "model": "large", "inputs": {"x": "pipeline.x"}},
          {"name": "answer", "switch": {"on": "small.probabilities", "max_below": 0.8}, "then": "large.probabilities", "else": "small.probabilities"}
        ], "outputs": {"probabilities": "answer.output"}}
        """;

    public async ValueTask InitializeAsync()
    {
        SmallPath = _repository.Add("small", "1", PipelineModels.Classifier(1));
        LargePath = _repository.Add("large", "1", PipelineModels.Classifier(2));
        AddPipeline("cascade", "1", Cascade);
        AddPipeline("ensemble", "1", """
            {"inputs": ["x"], "steps": [
              {"name": "a", "model": "small", "inputs": {"x": "pipeline.x"}},
              {"name": "b", "model": "large", "inputs": {"x": "pipeline.x"}},
              {"name": "mean", "combine": "average", "from": ["a.probabilities", "b.probabilities"]}
            ], "outputs": {"mean": "mean.output"}}
            """);
        AddPipeline("orphaned", "1", """
            {"inputs": ["x"], "steps": [{"name": "s", "model": "nobody-has-this", "inputs": {"x": "pipeline.x"}}], "outputs": {"y": "s.y"}}
            """);
        _silo = await SiloProcess.StartAsync(_repository.Root, "--Models:WriteDemoModel=false");
        _client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [_silo.GatewayPort] });
    }

    private void AddPipeline(string name, string version, string json)
    {
        var folder = Path.Combine(_repository.Root, name, version);
        Directory.CreateDirectory(folder);
        // Encoding.UTF8 writes a byte-order mark, as editors on Windows do: the loader must take it.
        File.WriteAllText(Path.Combine(folder, "pipeline.json"), json, Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        _repository.Dispose();
    }
}
