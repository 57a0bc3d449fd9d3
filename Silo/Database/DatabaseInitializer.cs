namespace Cluster.Silo.Database;

/// <summary>
/// Applies the schema before Orleans starts (<c>Cluster:InitializeDatabase=true</c>): registered
/// ahead of the silo's hosted service, whose clustering provider needs the tables at start-up.
/// </summary>
internal sealed class DatabaseInitializer(IConfiguration configuration, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        DatabaseSchema.ApplyAsync(configuration.GetConnectionString(DatabaseSchema.ConnectionStringName)!, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
