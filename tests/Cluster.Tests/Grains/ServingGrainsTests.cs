using System.Security.Cryptography;
using Cluster.Errors;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Modeling;
using Cluster.Models;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class ServingGrainsTests(GrainClusterFixture fixture) : IDisposable
{
    private readonly TemporaryRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private IModelVersionGrain Version(string model, string version) => fixture.Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version));

    private VersionRegistration Registration(string model, string version, byte[] onnx, ModelConfig? config = null)
    {
        var path = _repository.Add(model, version, onnx);
        return new VersionRegistration(version, path, Convert.ToHexStringLower(SHA256.HashData(onnx)), config ?? ModelConfig.Default);
    }

    [Fact]
    public async Task ARegisteredVersionIsReadyWithItsSessionSignatureAndServesThroughTheRouter()
    {
        var model = Unique("mlp");
        var info = await Version(model, "1").Register(Registration(model, "1", DemoMlp.Build()));

        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        info.ExecutionProvider.ShouldBe("CPUExecutionProvider");
        var input = info.Signature!.Inputs.Single();
        (input.Name, input.DataType).ShouldBe(("x", TensorDataType.FP32));
        input.Shape.ShouldBe([-1L, 4L]);
        (await fixture.Grains.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).List()).ShouldContain(model);

        float[] x = [3, -1, 2, 0.5f];
        var response = await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest("r", [TensorData.From<float>("x", x, 1, 4)], ["logits"]), null);

        response.ModelVersion.ShouldBe("1");
        response.Outputs.Select(o => o.Name).ShouldBe(["logits"]);
        DirectOnnx.MaxAbsDiff(DemoMlp.Compute(x).Logits, response.Outputs[0].ToArray<float>()).ShouldBeLessThanOrEqualTo(1e-4f);
    }

    [Fact]
    public async Task ACorruptArtifactFailsWithAReasonAndRequestsGetNotReady()
    {
        var model = Unique("corrupt");

        var info = await Version(model, "1").Register(Registration(model, "1", TestModels.Corrupt()));

        info.Status.ShouldBe(VersionStatus.Failed);
        info.Reason.ShouldNotBeNullOrWhiteSpace();
        var error = await Should.ThrowAsync<ModelNotReadyException>(() => fixture.Grains.GetGrain<IRouterGrain>(model)
            .Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f], 1)], []), null));
        error.Message.ShouldContain("failed to load");
    }

    [Fact]
    public async Task AVersionThatRequiresAnAcceleratorIsNotReadyWhereNoSiloHasOne()
    {
        var model = Unique("gpu-only");

        var info = await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(1f), ModelConfig.Default with { RequireAccelerator = true }));

        info.Status.ShouldBe(VersionStatus.Failed);
        info.Reason!.ShouldContain("require_accelerator");
    }

    [Fact]
    public async Task EveryReplicaOfAVersionServesTheSameResults()
    {
        var model = Unique("scale");
        var config = ModelConfig.Default with { Replicas = 3 };
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(4f), config));
        var request = new InferenceRequest(null, [TensorData.From<float>("x", [1f, 2], 1, 2)], []);

        var responses = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => fixture.Grains.GetGrain<IRouterGrain>(model).Infer(request, "1")));

        responses.ShouldAllBe(r => r.Outputs[0].ToArray<float>().SequenceEqual(new[] { 4f, 8f }));
        for (var i = 0; i < 3; i++)
        {
            var replica = await fixture.Grains.GetGrain<IReplicaGrain>(GrainKeys.Replica(model, "1", i)).Run(new ReplicaBatch(request.Inputs, [1], []));
            replica.Outputs[0].ToArray<float>().ShouldBe([4f, 8f]);
        }
    }

    [Fact]
    public async Task ReRegisteringAVersionWithANewArtifactReloadsItsReplicas()
    {
        var model = Unique("swap");
        var request = new InferenceRequest(null, [TensorData.From<float>("x", [1f, 1], 1, 2)], []);
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(2f)));
        (await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(request, "1")).Outputs[0].ToArray<float>().ShouldBe([2f, 2f]);

        var info = await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(5f)));

        info.Status.ShouldBe(VersionStatus.Ready);
        (await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(request, "1")).Outputs[0].ToArray<float>().ShouldBe([5f, 5f]);
    }

    [Fact]
    public async Task AReplicaActivatedWithoutALoadCallLoadsItsVersionFromTheCatalog()
    {
        var model = Unique("lazy");
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(3f)));
        var replica = fixture.Grains.GetGrain<IReplicaGrain>(GrainKeys.Replica(model, "1", 0));
        // As after its silo died: the activation is gone and the next batch activates it afresh.
        await replica.Unload();

        var result = await replica.Run(new ReplicaBatch([TensorData.From<float>("x", [1f, -1], 1, 2)], [1], []));

        result.Outputs[0].ToArray<float>().ShouldBe([3f, -3f]);
        result.ComputeTime.ShouldBeGreaterThan(TimeSpan.Zero);
        var beyond = fixture.Grains.GetGrain<IReplicaGrain>(GrainKeys.Replica(model, "1", 5));
        var retired = await Should.ThrowAsync<Cluster.Errors.ReplicaRetiredException>(() => beyond.Run(new ReplicaBatch([TensorData.From<float>("x", [1f, -1], 1, 2)], [1], [])));
        retired.ReplicasServing.ShouldBe(1, "a replica beyond the serving count never loads a session nobody would call");
    }

    [Fact]
    public async Task TheDefaultVersionIsTheHighestReadyOne()
    {
        var model = Unique("versions");
        var grain = fixture.Grains.GetGrain<IModelGrain>(model);
        await Version(model, "2").Register(Registration(model, "2", TestModels.Scale(2f)));
        await Version(model, "10").Register(Registration(model, "10", TestModels.Scale(10f)));
        await Version(model, "11").Register(Registration(model, "11", TestModels.Corrupt()));

        var info = await grain.GetInfo();

        info.Versions.Select(v => v.Version).ShouldBe(["2", "10", "11"]);
        info.DefaultVersion.ShouldBe("10");
        var response = await fixture.Grains.GetGrain<IRouterGrain>(model).Infer(new InferenceRequest(null, [TensorData.From<float>("x", [1f, 1], 1, 2)], []), null);
        response.ModelVersion.ShouldBe("10");
    }

    [Fact]
    public async Task UnknownModelsAndVersionsAreNotFound()
    {
        var request = new InferenceRequest(null, [TensorData.From<float>("x", [1f, 1], 1, 2)], []);
        var model = Unique("known");
        await Version(model, "1").Register(Registration(model, "1", TestModels.Scale(1f)));

        await Should.ThrowAsync<ModelNotFoundException>(() => fixture.Grains.GetGrain<IRouterGrain>(Unique("unknown")).Infer(request, null));
        await Should.ThrowAsync<ModelNotFoundException>(() => fixture.Grains.GetGrain<IRouterGrain>(model).Infer(request, "2"));
    }
}
