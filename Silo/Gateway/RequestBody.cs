using System.Buffers;
using System.IO.Pipelines;

namespace Cluster.Silo.Gateway;

/// <summary>Reads request bodies, or their first bytes, into arrays, within the gateway's size limit.</summary>
internal static class RequestBody
{
    public static Task<byte[]> ReadAll(PipeReader reader, CancellationToken cancellationToken) =>
        // Every byte is copied in, so the array need not be zeroed first.
        Whole(reader, static body => Copy(body, GC.AllocateUninitializedArray<byte>((int)body.Length)), cancellationToken);

    /// <summary>
    /// The whole body in an array lent from <see cref="ArrayPool{T}.Shared"/>, for bodies too large to allocate per request: a fresh
    /// array for a 290 KB JSON tensor was a large-object-heap allocation, and copying into its never-touched pages cost more than
    /// parsing it. Dispose gives the array back; nothing may keep a reference to it.
    /// </summary>
    public static Task<LentBody> ReadLent(PipeReader reader, CancellationToken cancellationToken) =>
        Whole(reader, static body => new LentBody(Copy(body, ArrayPool<byte>.Shared.Rent((int)body.Length)), (int)body.Length), cancellationToken);

    /// <summary>A body in a lent array: its first bytes, as many as the body had.</summary>
    public readonly struct LentBody(byte[] array, int length) : IDisposable
    {
        public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(array);
    }

    /// <summary>Waits until the whole body is in the pipe, then lets <paramref name="take"/> copy it out.</summary>
    private static async Task<T> Whole<T>(PipeReader reader, Func<ReadOnlySequence<byte>, T> take, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Kestrel's MaxRequestBodySize ends this loop with a 413 for bodies over the limit.
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var taken = take(result.Buffer);
                reader.AdvanceTo(result.Buffer.End);
                return taken;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static byte[] Copy(ReadOnlySequence<byte> body, byte[] into)
    {
        body.CopyTo(into);
        return into;
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
