using System.Reflection;
using Npgsql;

namespace Cluster.Silo.Database;

/// <summary>
/// Applies the project's PostgreSQL schema (deploy/sql, embedded in the executable) in file
/// order, in one transaction under an advisory lock, so silos starting together apply it once.
/// Every file is idempotent, so applying it again is an upgrade, never a failure.
/// </summary>
public static partial class DatabaseSchema
{
    /// <summary>Name of the connection string (<c>ConnectionStrings:Postgres</c>) of the cluster-mode database.</summary>
    public const string ConnectionStringName = "Postgres";

    // Any constant shared by all silos; it only serialises schema changes.
    private const long AdvisoryLockKey = 0x436C757374657201;

    /// <summary>Names of the SQL files, in the order they are applied.</summary>
    public static IReadOnlyList<string> Scripts { get; } = typeof(DatabaseSchema).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("sql/", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Creates or upgrades the tables and stored queries in the database <paramref name="connectionString"/> names.</summary>
    public static async Task ApplyAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var script in Scripts)
        {
            await using var command = new NpgsqlCommand(Read(script), connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            LogApplied(logger, script);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Script}")]
    private static partial void LogApplied(ILogger logger, string script);
}
