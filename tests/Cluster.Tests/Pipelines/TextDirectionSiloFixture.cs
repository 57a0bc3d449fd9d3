using Cluster.Client;
using Cluster.Tests.Support;

namespace Cluster.Tests.Pipelines;

/// <summary>
/// A silo process serving the real PaddleOCR text-direction classifier behind an image pipeline:
/// JPEG or PNG bytes → decode → resize to 48×192 → normalise as PaddleOCR does → classifier → label.
/// </summary>
public sealed class TextDirectionSiloFixture : IAsyncLifetime
{
    /// <summary>PaddleOCR's classifier pre-processing: BGR pixels as decoded, x / 255, then (x − 0.5) / 0.5.</summary>
    public const string Pipeline = """
        {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [-1]}], "steps": [
          {"name": "decode", "template": "decode_image", "from": "pipeline.image"},
          {"name": "resize", "template": "resize", "from": "decode.output", "height": 48, "width": 192},
          {"name": "normalize", "template": "normalize", "from": "resize.output", "scale": 0.00392156862745098, "mean": [0.5], "std": [0.5]},
          {"name": "classify", "model": "paddle-cls", "inputs": {"x": "normalize.output"}},
          {"name": "direction", "template": "top_k", "from": "classify.softmax_0.tmp_0", "k": 1, "labels": ["0", "180"]}
        ], "outputs": {"label": "direction.labels", "score": "direction.scores"}}
        """;

    private readonly TemporaryRepository _repository = new();
    private SiloProcess? _silo;
    private InferenceClient? _client;

    public InferenceClient Client => _client ?? throw new InvalidOperationException("Not started.");
    public string ClassifierPath { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ClassifierPath = _repository.AddFile("paddle-cls", "1", await PaddleOcrClassifier.GetPathAsync());
        var folder = Path.Combine(_repository.Root, "text-direction", "1");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.json"), Pipeline);
        _silo = await SiloProcess.StartAsync(_repository.Root, "--Models:WriteDemoModel=false");
        _client = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [_silo.GatewayPort] });
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        _repository.Dispose();
    }
}
