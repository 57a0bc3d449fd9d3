namespace Cluster.Tests.Support;

/// <summary>Settings that put a silo process in a cluster on a test PostgreSQL database.</summary>
public static class PostgresCluster
{
    /// <summary>
    /// Cluster mode on <paramref name="connectionString"/> under a fresh cluster id, CPU inference,
    /// no demo model, the bootstrap admin key, and failure detection tuned for tests (a silo that
    /// misses 2 one-second probes is voted dead).
    /// </summary>
    public static string[] Settings(string connectionString) => [
        "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true", TestKeys.BootstrapSetting,
        $"--Cluster:ClusterId=c{Guid.NewGuid():N}", "--Inference:Device=cpu", "--Models:WriteDemoModel=false",
        "--Cluster:Membership:ProbeTimeout=00:00:01", "--Cluster:Membership:NumMissedProbesLimit=2"];
}
