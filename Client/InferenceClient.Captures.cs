using System.Runtime.CompilerServices;
using System.Text.Json;
using Cluster.Capture;
using Cluster.Grains;

namespace Cluster.Client;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Streams <paramref name="model"/>'s captured predictions, oldest first: each record as exported by
    /// <c>GET /api/models/{model}/captures</c> (<c>id</c>, <c>trace_id</c>, <c>version</c>, <c>arm</c>, <c>completed_at</c>,
    /// <c>outcome</c>, <c>inputs</c>, <c>outputs</c>, ...). The export is audited (actor <c>client</c>, or through the gateway the key's id).
    /// </summary>
    /// <param name="model">Model name.</param>
    /// <param name="version">Only this version's records; null for all.</param>
    /// <param name="from">Only records completed at or after this time.</param>
    /// <param name="to">Only records completed before this time.</param>
    /// <param name="limit">At most this many records (1 to 1,000,000).</param>
    /// <param name="cancellationToken">Stops the export.</param>
    public async IAsyncEnumerable<JsonElement> ExportCapturesAsync(
        string model, string? version = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = CaptureQuery.DefaultLimit,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new CaptureQuery(version, from, to, limit);
        var lines = _gateway?.ExportCaptures(model, query, cancellationToken) ?? Acting<ICaptureGrain>(model).Export(query, cancellationToken);
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            using var record = JsonDocument.Parse(line);
            yield return record.RootElement.Clone();
        }
    }
}
