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

    /// <summary>Address other silos and clients reach this silo at (cluster mode); it is written to the membership table.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface instead of only the advertised address (containers, NAT).</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>CUDA devices this silo advertises to placement; null detects them from the NVIDIA driver.</summary>
    [Range(0, 64)]
    public int? Accelerators { get; set; }

    /// <summary>
    /// Grain addresses this silo keeps in Orleans' directory cache. Orleans' default, a million, sizes the cache's table for a
    /// million entries up front (~8 MB), and the cache-size gauge walks that whole table each time it is read: once a second
    /// by the dashboard, ~5 ms of CPU each time. A silo of this cluster calls a few grains per model version.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int DirectoryCacheSize { get; set; } = 100_000;

    /// <summary>Comma-separated roles: <c>gateway</c> (HTTP API) and/or <c>inference</c> (hosts replicas, loads the repository).</summary>
    [Required]
    public string Roles { get; set; } = "gateway,inference";

    /// <summary>The parsed role set.</summary>
    public SiloRoles ParsedRoles => SiloRolesParser.Parse(Roles);
}
