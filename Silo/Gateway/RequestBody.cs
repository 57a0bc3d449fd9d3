using System.Buffers;
using System.IO.Pipelines;

namespace Cluster.Silo.Gateway;

/// <summary>Reads request bodies, or their first bytes, into arrays, within the gateway's size limit.</summary>
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
                // Every byte is copied in, so the array need not be zeroed first.
                var bytes = GC.AllocateUninitializedArray<byte>((int)result.Buffer.Length);
                result.Buffer.CopyTo(bytes);
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>The first <paramref name="length"/> bytes of the body, leaving the rest in the pipe; null when the body is shorter.</summary>
    public static async Task<byte[]?> ReadPrefix(PipeReader reader, int length, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length >= length)
            {
                var bytes = result.Buffer.Slice(0, length).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(length));
                return bytes;
            }
            if (result.IsCompleted)
            {
                reader.AdvanceTo(result.Buffer.End);
                return null;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
