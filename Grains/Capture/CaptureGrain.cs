using System.Runtime.CompilerServices;
using Cluster.Audit;
using Cluster.Grains;

namespace Cluster.Capture;

/// <summary>
/// Exports a model's captured predictions from this silo's store (the shared table in cluster mode,
/// the local files on the embedded default). Local and stateless: an export reads where the caller is.
/// </summary>
// One activation per silo: an export's later batches are asked of the activation that holds its enumerator, and with several
// local activations a stateless worker's call may reach another ("the remote target does not have a record of this enumerator").
[StatelessWorker(1), Reentrant]
public sealed class CaptureGrain(ICaptureStore store, IAuditLog audit) : Grain, ICaptureGrain
{
    public async IAsyncEnumerable<string> Export(CaptureQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (query.Limit is < 1 or > CaptureQuery.MaxLimit) throw new Errors.InvalidInferenceRequestException($"limit must be between 1 and {CaptureQuery.MaxLimit}.");
        var model = this.GetPrimaryKeyString();
        // Payloads may be personal data: who read them is recorded before the first one leaves.
        await audit.Append("capture.export", model, null, query.ToString());
        await foreach (var line in store.Read(model, query, cancellationToken)) yield return CaptureExportJson.ToExported(line);
    }
}
