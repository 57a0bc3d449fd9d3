using System.ComponentModel.DataAnnotations;

namespace Cluster.Silo.Hosting;

/// <summary>This silo's ports and roles (configuration section <c>Silo</c>).</summary>
public sealed class SiloSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = ClusterDefaults.SiloPort;

    /// <summary>Port Orleans clients (the .NET client library) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = ClusterDefaults.GatewayPort;

    /// <summary>Comma-separated roles: <c>gateway</c> (HTTP API) and/or <c>inference</c> (hosts replicas, loads the repository).</summary>
    [Required]
    public string Roles { get; set; } = "gateway,inference";

    /// <summary>The parsed role set.</summary>
    public SiloRoles ParsedRoles => SiloRolesParser.Parse(Roles);
}
