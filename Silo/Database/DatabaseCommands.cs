namespace Cluster.Silo.Database;

/// <summary>Command-line verbs that manage the cluster-mode database.</summary>
public static partial class DatabaseCommands
{
    /// <summary>Applies deploy/sql to <c>ConnectionStrings:Postgres</c> (from the usual configuration sources); returns the exit code.</summary>
    public static async Task<int> InitDb(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var connectionString = builder.Configuration.GetConnectionString(DatabaseSchema.ConnectionStringName);
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole());
        var logger = loggers.CreateLogger("init-db");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogMissingConnectionString(logger);
            return 2;
        }
        await DatabaseSchema.ApplyAsync(connectionString, logger);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "init-db needs ConnectionStrings:Postgres, e.g. --ConnectionStrings:Postgres=\"Host=127.0.0.1;Database=cluster;Username=postgres\"")]
    private static partial void LogMissingConnectionString(ILogger logger);
}
