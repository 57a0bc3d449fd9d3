using Cluster.Capture;

namespace Cluster.Grains;

/// <summary>Reads a model's captured predictions from the silo's capture store and audits each export; key: model name.</summary>
[Alias("Cluster.ICaptureGrain")]
public interface ICaptureGrain : IGrainWithStringKey
{
    /// <summary>
    /// The records <paramref name="query"/> selects, oldest first, each one line of JSON (as exported
    /// as NDJSON over HTTP). The export is audited (<c>capture.export</c>) before the first record.
    /// </summary>
    [Alias("Export")] IAsyncEnumerable<string> Export(CaptureQuery query, CancellationToken cancellationToken = default);
}
