using Cluster.Grains;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Onnx;
using Cluster.Repository;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// An in-process one-silo cluster whose grains run on a fake clock and a fake model runtime, so
/// that batching, deadlines, drains, autoscaling and rollouts are tested without waiting on real
/// time. One silo, so each version has one router and one batch worker. The clock is shared by the
/// tests of the collection, which run one at a time; each test uses fresh model names.
/// </summary>
public sealed class FakeTimeClusterFixture : IAsyncLifetime
{
    private readonly TemporaryRepository _repository = new();

    public FakeTimeClusterFixture() => Runtime = new("Silo_0", Clock.Provider);

    public FakeClock Clock { get; } = new();

    public FakeModelRuntime Runtime { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        Cluster = CreateBuilder(1, Clock, _repository.Root, _ => Runtime).Build();
        await Cluster.DeployAsync();
    }

    /// <summary>
    /// The inference silos of <see cref="InferenceTestCluster"/> on <paramref name="clock"/>, each with the
    /// fake runtime <paramref name="runtime"/> gives for its silo name, storing uploads under <paramref name="repository"/>.
    /// </summary>
    public static InProcessTestClusterBuilder CreateBuilder(short silos, FakeClock clock, string repository, Func<string, FakeModelRuntime> runtime, Action<ISiloBuilder>? configure = null)
    {
        var builder = InferenceTestCluster.CreateBuilder(silos, (options, silo) =>
        {
            silo.UseFakeTime(clock.Provider);
            silo.Services.AddSingleton<IModelSessionFactory>(runtime(options.SiloName));
            configure?.Invoke(silo);
        });
        // Uploads are stored as model/version/model.onnx here, where the fake runtime reads them.
        builder.ConfigureHost(host => host.Configuration[$"{ModelRepositoryOptions.SectionName}:Repository"] = repository);
        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _repository.Dispose();
    }

    /// <summary>A model name no other test uses.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public IRouterGrain Router(string model) => Grains.GetGrain<IRouterGrain>(model);

    public IModelVersionGrain Version(string model, string version = "1") => Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version));

    public IAutoscalerGrain Autoscaler(string model, string version = "1") => Grains.GetGrain<IAutoscalerGrain>(GrainKeys.Version(model, version));

    /// <summary>Uploads a fake artifact as a version and checks that it is ready.</summary>
    public async Task<ModelVersionInfo> Upload(string model, string version, byte[] artifact, ModelConfig? config = null)
    {
        var info = await Version(model, version).Upload(artifact, config ?? ModelConfig.Default, label: null);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        return info;
    }

    /// <summary>The version as the catalog records it.</summary>
    public async Task<ModelVersionInfo> Catalog(string model, string version = "1") =>
        (await Grains.GetGrain<IModelGrain>(model).GetInfo()).FindVersion(version).ShouldNotBeNull();

    /// <summary>The batch worker's settings and counters (the cluster has one silo, so one worker per version).</summary>
    public Task<BatchingStats> Batching(string model, string? version = null) => Router(model).GetBatchingStats(version);

    /// <summary>Waits until the version's worker holds <paramref name="queued"/> requests.</summary>
    public Task WaitForQueued(string model, int queued) =>
        Eventually.Until(async () => (await Batching(model)).Queued == queued, $"{queued} requests queued for {model}");

    /// <summary>A request of one or more rows of <c>x</c>, <paramref name="width"/> values each.</summary>
    public static InferenceRequest Request(int width, params float[] values) =>
        new(null, [TensorData.From<float>("x", values, values.Length / width, width)], []);
}

[CollectionDefinition(Name)]
public sealed class FakeTimeClusterCollection : ICollectionFixture<FakeTimeClusterFixture>
{
    public const string Name = "fake time cluster";
}
