using System.Security.Cryptography;
using System.Text;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Pipelines;

/// <summary>Registers models and pipelines in the shared grain cluster under fresh names, and calls them through their routers.</summary>
public sealed class PipelineTestBed(IGrainFactory grains) : IDisposable
{
    private readonly TemporaryRepository _repository = new();

    public IGrainFactory Grains => grains;

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public void Dispose() => _repository.Dispose();

    public IModelVersionGrain Version(string model, string version) => grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version));

    /// <summary>Registers an ONNX model as version 1 of a fresh model; returns its name and file (for ONNX Runtime run directly).</summary>
    public async Task<(string Name, string Path)> AddModel(string prefix, byte[] onnx, string? configJson = null)
    {
        var name = Unique(prefix);
        var path = _repository.Add(name, "1", onnx);
        var config = configJson is null ? ModelConfig.Default : Cluster.Repository.ModelConfigFile.Parse(configJson);
        var info = await Version(name, "1").Register(new VersionRegistration("1", path, Convert.ToHexStringLower(SHA256.HashData(onnx)), config));
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        return (name, path);
    }

    /// <summary>Registers <paramref name="json"/> as a pipeline version, as the repository scan does.</summary>
    public Task<ModelVersionInfo> AddPipeline(string pipeline, string version, string json)
    {
        var folder = System.IO.Path.Combine(_repository.Root, pipeline, version);
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, "pipeline.json");
        var bytes = Encoding.UTF8.GetBytes(json);
        File.WriteAllBytes(path, bytes);
        return Version(pipeline, version).Register(new VersionRegistration(version, path, Convert.ToHexStringLower(SHA256.HashData(bytes)), ModelConfig.Default, Kind: VersionKind.Pipeline));
    }

    public Task<InferenceResponse> Infer(string model, string input, float[] x, long columns, string? version = null, TimeSpan? timeout = null) =>
        grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(null, [TensorData.From<float>(input, x, x.Length / columns, columns)], [], timeout), version);

    /// <summary>The requests a version has answered successfully, as its stats grain totals them (pushed about once a second).</summary>
    public async Task<long> Served(string model, string version = "1") =>
        (await grains.GetGrain<IModelStatsGrain>(GrainKeys.Version(model, version)).Get()).Total.Success;
}
