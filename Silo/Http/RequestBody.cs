using System.Buffers;
using System.IO.Pipelines;

namespace Cluster.Silo.Http;

/// <summary>Reads a whole request body into one array, within the gateway's size limit.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAll(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Kestrel's MaxRequestBodySize ends this loop with a 413 for bodies over the limit.
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
