using System.ComponentModel.DataAnnotations;

namespace Cluster.Capture;

/// <summary>Where and how a silo writes captured predictions (configuration section <c>Capture</c>).</summary>
public sealed class CaptureOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Capture";

    /// <summary>Folder of the JSON-lines files on the embedded default (relative to the working directory); cluster mode writes to PostgreSQL.</summary>
    [Required]
    public string Directory { get; set; } = "captures";

    /// <summary>Captured requests a silo holds while its writer is behind; past this, new ones are dropped and counted.</summary>
    [Range(1, 10_000_000)]
    public int BufferSize { get; set; } = 10_000;

    /// <summary>
    /// Most tensor bytes (inputs and outputs) the queued requests may hold; past this, new ones are dropped
    /// and counted, so a writer that falls behind on large tensors cannot take the silo's memory.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long BufferBytes { get; set; } = 256L << 20;

    /// <summary>Most records the writer hands to the store at once.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>A batch closes once its formatted records reach this many bytes, even below <see cref="BatchSize"/>.</summary>
    [Range(1, int.MaxValue)]
    public int BatchBytes { get; set; } = 16 << 20;

    /// <summary>
    /// Longest a formatted record waits for others before its batch goes to the store. Under load, batches fill
    /// (<see cref="BatchSize"/> or <see cref="BatchBytes"/>) first; what this bounds is how late a record of light traffic shows in an export.
    /// </summary>
    [Range(1, 60_000)]
    public int FlushMilliseconds { get; set; } = 250;

    /// <summary>How often expired records are pruned.</summary>
    [Range(1, 1440)]
    public int PruneEveryMinutes { get; set; } = 60;
}
