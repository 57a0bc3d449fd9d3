using System.ComponentModel.DataAnnotations;

namespace Cluster.Silo.Hosting;

/// <summary>The HTTP gateway (configuration section <c>Gateway</c>).</summary>
public sealed class GatewaySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Semicolon-separated URLs Kestrel listens on.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest model upload accepted (management API); uploads travel to the catalog in one Orleans message, whose default cap is 100 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 96L * 1024 * 1024;
}
