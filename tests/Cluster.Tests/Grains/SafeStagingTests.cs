using System.Security.Cryptography;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Grains;

/// <summary><c>"default_version": "stable"</c>: a new version serves requests that name no version only once a label move gives it them.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class SafeStagingTests(GrainClusterFixture fixture) : IDisposable
{
    private static readonly ModelConfig Staged = ModelConfig.Default with { DefaultVersion = "stable" };
    private readonly TemporaryRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    private IModelVersionGrain Version(string model, string version) => fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version));

    private VersionRegistration Registration(string model, string version, byte[] onnx, ModelConfig config)
    {
        var path = _repository.Add(model, version, onnx);
        return new VersionRegistration(version, path, Convert.ToHexStringLower(SHA256.HashData(onnx)), config);
    }

    private Task<InferenceResponse> Unversioned(string model) =>
        fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f, 1], 1, 2)], []), null);

    [Fact]
    public async Task ANewHigherVersionServesNothingUntilTheLabelMoves()
    {
        var model = $"staged-{Guid.NewGuid():N}";
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(1f), Staged with { Labels = Staged.Labels.Add("stable", "1") }));
        var v2 = await Version(model, "2").Register(Registration(model, "2", TestModels.Scale(2f), Staged));
        v2.Status.ShouldBe(VersionStatus.Ready, v2.Reason);

        var info = await fixture.Grains.GetGrain<IModelGrain>(model).GetInfo();
        (info.DefaultVersion, info.DefaultLabel).ShouldBe(("1", "stable"));
        (await Unversioned(model)).ModelVersion.ShouldBe("1", "version 2 is the highest and ready, but staged");
        info.Arms().ShouldBe([("1", 100.0)]);

        var moved = await fixture.Grains.GetGrain<IModelGrain>(model).SetLabel("stable", "2");
        moved.DefaultVersion.ShouldBe("2");
    }

    [Fact]
    public async Task WithoutItsLabelAStagedModelRefusesUnversionedRequestsSayingWhy()
    {
        var model = $"unlabelled-{Guid.NewGuid():N}";
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(1f), Staged));

        var error = await Should.ThrowAsync<ModelNotFoundException>(() => Unversioned(model));

        error.Message.ShouldContain("label 'stable'");
        var named = await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f, 1], 1, 2)], []), "1");
        named.ModelVersion.ShouldBe("1", "a request that names the version is served");
    }

    [Fact]
    public async Task TheHighestRuleStaysTheDefault()
    {
        var model = $"highest-{Guid.NewGuid():N}";
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(1f), ModelConfig.Default with { Labels = ModelConfig.Default.Labels.Add("stable", "1") }));
        await Version(model, "2").Register(Registration(model, "2", TestModels.Scale(2f), ModelConfig.Default));

        (await Unversioned(model)).ModelVersion.ShouldBe("2");
    }
}
