using Cluster.Tests.Support;

namespace Cluster.Tests.ClusterMode;

/// <summary>
/// One private PostgreSQL server for all cluster-mode tests; each test makes its own database. An
/// assembly fixture, so that cluster-mode classes, which mostly wait on silo processes, run side by side.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    public Task<string> NewDatabaseAsync() => Server.CreateDatabaseAsync("t" + Guid.NewGuid().ToString("N")[..12]);
}

/// <summary>
/// Tests that kill or restart silos under load and count the requests that failed run one after the
/// other, so that neither one's count depends on the load of the other's silos and callers.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiloChurnCollection
{
    public const string Name = "silo churn under load";
}
