using System.Collections.Concurrent;
using Cluster.Cost;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Tests.FakeTime;
using Cluster.Tests.Support;
using Orleans.TestingHost;
using Shouldly;

namespace Cluster.Tests.Cost;

/// <summary>
/// Two inference silos on one fake clock and fake runtimes, with prices configured, for the cost tests: a replica's loaded and
/// busy time follow the fake clock exactly, and a version of two replicas spreads over both silos. Tests use fresh model names.
/// </summary>
public sealed class CostClusterFixture : IAsyncLifetime
{
    /// <summary>Price of a CPU replica-hour: 0.0001 a second.</summary>
    public const double CpuPerHour = 0.36;

    /// <summary>Price of a GiB-hour of replica memory.</summary>
    public const double PerGiBHour = 0.072;

    /// <summary>Seconds between the silos' usage reports.</summary>
    public const int ReportEverySeconds = 5;

    /// <summary>Loaded seconds per replica before a version gets advice.</summary>
    public const int MinObservedSeconds = 60;

    private readonly TemporaryRepository _repository = new();
    private readonly ConcurrentDictionary<string, FakeModelRuntime> _runtimes = new(StringComparer.Ordinal);

    public FakeClock Clock { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Every silo's fake runtime.</summary>
    public IReadOnlyCollection<FakeModelRuntime> Runtimes => [.. _runtimes.Values];

    public async ValueTask InitializeAsync()
    {
        var builder = FakeTimeClusterFixture.CreateBuilder(2, Clock, _repository.Root, silo => _runtimes.GetOrAdd(silo, name => new FakeModelRuntime(name, Clock.Provider)));
        builder.ConfigureHost(host =>
        {
            host.Configuration[$"{CostOptions.SectionName}:PricePerReplicaHour:cpu"] = CpuPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture);
            host.Configuration[$"{CostOptions.SectionName}:PricePerReplicaHour:cuda"] = "3";
            host.Configuration[$"{CostOptions.SectionName}:PricePerGiBHour"] = PerGiBHour.ToString(System.Globalization.CultureInfo.InvariantCulture);
            host.Configuration[$"{CostOptions.SectionName}:ReportEverySeconds"] = ReportEverySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            host.Configuration[$"{CostOptions.SectionName}:MinObservedSeconds"] = MinObservedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _repository.Dispose();
    }

    public IModelVersionGrain Version(string model, string version = "1") => Grains.GetGrain<IModelVersionGrain>(GrainKeys.Version(model, version));

    public IUsageGrain Usage(string model, string version = "1") => Grains.GetGrain<IUsageGrain>(GrainKeys.Version(model, version));

    public ICostGrain Cost => Grains.GetGrain<ICostGrain>(GrainKeys.Registry);

    /// <summary>Uploads a fake artifact as a version and checks that it is ready.</summary>
    public async Task<ModelVersionInfo> Upload(string model, ModelConfig config)
    {
        var info = await Version(model).Upload(FakeModelRuntime.Scale(2f), config, label: null);
        info.Status.ShouldBe(VersionStatus.Ready, info.Reason);
        return info;
    }

    /// <summary>Moves the clock on a second at a time until the silos reported the version's usage up to <paramref name="replicaSeconds"/>, and answers it over an hour.</summary>
    public async Task<VersionUsage> ReportedUpTo(string model, double replicaSeconds)
    {
        await Clock.AdvanceUntil(async () => (await Usage(model).Get(TimeSpan.FromHours(1))).Total.ReplicaSeconds >= replicaSeconds - 1e-9,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(ReportEverySeconds * 4), $"usage of {model} reported up to {replicaSeconds} replica-seconds");
        return await Usage(model).Get(TimeSpan.FromHours(1));
    }
}
