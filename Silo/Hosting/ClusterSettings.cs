namespace Cluster.Silo.Hosting;

/// <summary>How silos find each other (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary><c>Localhost</c>: one machine, membership held by the primary silo, state in memory.</summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>Orleans cluster id, the same on every silo and client.</summary>
    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    /// <summary>Orleans service id, the same on every silo and client.</summary>
    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;
}
