using Cluster.Tests.Support;
using Orleans.TestingHost;

namespace Cluster.Tests.Grains;

/// <summary>An in-process two-silo cluster with the inference grains and real ONNX Runtime sessions on CPU.</summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        Cluster = InferenceTestCluster.CreateBuilder(2).Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}
