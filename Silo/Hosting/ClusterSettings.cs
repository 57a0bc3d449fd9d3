using Cluster.Silo.Database;

namespace Cluster.Silo.Hosting;

/// <summary>How silos find each other and where state lives (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Postgres</c>) used in cluster mode.</summary>
    public const string ConnectionStringName = DatabaseSchema.ConnectionStringName;

    /// <summary>
    /// <c>Localhost</c>: one machine, membership held by the primary silo, state in memory.
    /// <c>Postgres</c>: membership, grain state and reminders in PostgreSQL (<c>ConnectionStrings:Postgres</c>).
    /// </summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>Orleans cluster id, the same on every silo and client.</summary>
    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    /// <summary>Orleans service id, the same on every silo and client.</summary>
    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;

    /// <summary>
    /// Localhost clustering with several silos on one machine: the silo port of the primary silo,
    /// which holds membership (unset: this silo is the primary).
    /// </summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Apply deploy/sql before starting (cluster mode); the same as running <c>Silo init-db</c> first.</summary>
    public bool InitializeDatabase { get; set; }

    /// <summary>Running in Kubernetes: pod IP, names and cluster ids come from the pod (Orleans Kubernetes hosting).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>True for the PostgreSQL cluster mode.</summary>
    public bool IsPostgres => string.Equals(Provider, "Postgres", StringComparison.OrdinalIgnoreCase);
}
