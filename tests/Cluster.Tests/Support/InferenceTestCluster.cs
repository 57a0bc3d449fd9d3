using Cluster.Hosting;
using Cluster.Models;
using Orleans.TestingHost;

namespace Cluster.Tests.Support;

/// <summary>The silo configuration every in-process cluster of the tests shares: the embedded default's grains and storage.</summary>
public static class InferenceTestCluster
{
    /// <summary>
    /// A builder of <paramref name="silos"/> silos hosting the inference grains on CPU, with the catalog
    /// in memory storage, reminders in memory and the in-memory audit log. <paramref name="first"/> runs
    /// before the inference grains are added, so what it registers wins over their defaults (fakes).
    /// </summary>
    public static InProcessTestClusterBuilder CreateBuilder(short silos, Action<InProcessTestSiloSpecificOptions, ISiloBuilder>? first = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureHost(host => host.Configuration["Inference:Device"] = "cpu");
        builder.ConfigureSilo((options, silo) =>
        {
            first?.Invoke(options, silo);
            silo.AddMemoryGrainStorage(ModelStorage.Name).UseInMemoryReminderService().AddInferenceGrains();
        });
        return builder;
    }
}
