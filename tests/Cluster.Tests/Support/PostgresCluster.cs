using Npgsql;

namespace Cluster.Tests.Support;

/// <summary>Settings that put a silo process in a cluster on a test PostgreSQL database, and what its membership table says.</summary>
public static class PostgresCluster
{
    // Orleans' SiloStatus.Dead as the membership table stores it.
    private const int Dead = 6;

    /// <summary>
    /// Cluster mode on <paramref name="connectionString"/> under a fresh cluster id, CPU inference,
    /// no demo model, the bootstrap admin key, and failure detection tuned for tests (a silo that
    /// misses 2 one-second probes is voted dead).
    /// </summary>
    public static string[] Settings(string connectionString) => [
        "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true", TestKeys.BootstrapSetting,
        $"--Cluster:ClusterId=c{Guid.NewGuid():N}", "--Inference:Device=cpu", "--Models:WriteDemoModel=false",
        "--Cluster:Membership:ProbeTimeout=00:00:01", "--Cluster:Membership:NumMissedProbesLimit=2"];

    /// <summary>Whether the cluster on <paramref name="connectionString"/> (one per test database) has voted the silo on <paramref name="siloPort"/> dead.</summary>
    public static async Task<bool> IsDead(string connectionString, int siloPort)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE port = @port AND status = @dead", connection);
        command.Parameters.AddWithValue("port", siloPort);
        command.Parameters.AddWithValue("dead", Dead);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
