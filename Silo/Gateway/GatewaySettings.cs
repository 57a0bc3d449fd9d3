using System.ComponentModel.DataAnnotations;

namespace Cluster.Silo.Gateway;

/// <summary>The HTTP gateway (configuration section <c>Gateway</c>).</summary>
public sealed class GatewaySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Semicolon-separated URLs Kestrel listens on.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Semicolon-separated URLs of the v2 gRPC service (HTTP/2 only; empty: gRPC only on HTTPS <see cref="Urls"/>).</summary>
    public string GrpcUrls { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest model upload accepted (management API); uploads travel to the catalog in one Orleans message, whose default cap is 100 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 96L * 1024 * 1024;

    /// <summary>Most elements one input tensor may hold; more is answered 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxElementsPerTensor { get; set; } = 16L * 1024 * 1024;

    /// <summary>Most elements all inputs of one request may hold together; more is answered 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxElementsPerRequest { get; set; } = 32L * 1024 * 1024;

    /// <summary>Most rows (dimension 0) one request may carry, whatever the model's max_batch_size; more is answered 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRowsPerRequest { get; set; } = 4096;

    /// <summary>Deepest JSON nesting accepted in an inference request; deeper is answered 400.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 32;
}
