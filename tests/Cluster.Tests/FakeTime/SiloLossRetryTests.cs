using System.Collections.Concurrent;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// A batch whose replica's silo dies is run again on a replica elsewhere. A cluster of its own (a silo
/// is killed), on a fake clock for the worker's retry pause; the lost connection and the silo's death
/// are Orleans' messaging and membership, which stay on real time (probes of one second, two missed).
/// </summary>
public sealed class SiloLossRetryTests : IAsyncLifetime
{
    private readonly TemporaryRepository _repository = new();
    private readonly FakeClock _clock = new();
    private readonly ConcurrentDictionary<string, FakeModelRuntime> _runtimes = new(StringComparer.Ordinal);
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = FakeTimeClusterFixture.CreateBuilder(2, _clock, _repository.Root, silo => _runtimes.GetOrAdd(silo, name => new FakeModelRuntime(name, _clock.Provider)),
            silo => silo.Configure<ClusterMembershipOptions>(o => (o.ProbeTimeout, o.NumMissedProbesLimit) = (TimeSpan.FromSeconds(1), 2))).Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // A graceful stop of the survivor would wait out its shutdown timeout on grains of the dead silo.
        foreach (var silo in _cluster.Silos.ToArray()) await _cluster.KillSiloAsync(silo);
        await _cluster.DisposeAsync();
        _repository.Dispose();
    }

    [Fact]
    public async Task ABatchWhoseReplicaSiloIsKilledIsAnsweredByTheReplicaOnTheOtherSilo()
    {
        const string model = "loss";
        var info = await _cluster.Client.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, "1")).Upload(FakeModelRuntime.Scale(2f), ModelConfig.Default with { Replicas = 2 }, null);
        info.ReplicaSilos.Distinct().Count().ShouldBe(2, "one replica on each silo");
        var survivor = _cluster.Silos[0];
        var victim = _cluster.Silos[1];
        // Requests enter on the surviving silo, so its router and batch worker are the ones that retry.
        var grains = _cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IGrainFactory>();
        var router = grains.GetGrain<IRouterGrain>(model);
        var worker = grains.GetGrain<IBatchWorkerGrain>(GrainKeys.Version(model, "1"));
        using var held = _runtimes[victim.Name].Hold(model);

        // The worker picks replicas at random: send until a batch is held on the victim's replica.
        Task<Inference.InferenceResponse>? call = null;
        var x = 0f;
        for (var attempt = 1; call is null; attempt++)
        {
            attempt.ShouldBeLessThan(30, "no batch reached the victim's replica");
            var sent = router.Infer(FakeTimeClusterFixture.Request(2, attempt, 1), null);
            var onVictim = _runtimes[victim.Name].WaitForBatches(model, 1);
            if (await Task.WhenAny(sent, onVictim) == onVictim) (call, x) = (sent, attempt);
            else await sent;
        }
        var servedBefore = _runtimes[survivor.Name].Batches(model).Count;
        await _cluster.KillSiloAsync(victim);
        await Eventually.Until(async () => (await worker.GetStats()).Retried == 1, "membership declaring the victim dead and the worker retrying");
        await _clock.Advance(TimeSpan.FromMilliseconds(100));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(30));
        response.Outputs[0].ToArray<float>().ShouldBe([2f * x, 2f]);
        _runtimes[survivor.Name].Batches(model).Count.ShouldBe(servedBefore + 1, "the retry ran on the surviving silo's replica");
        (await worker.GetStats()).Failed.ShouldBe(0);
    }
}
