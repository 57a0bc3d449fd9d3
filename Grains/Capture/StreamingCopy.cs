using System.Runtime.Intrinsics.X86;

namespace Cluster.Capture;

/// <summary>
/// Copies large spans into a buffer that only the disk reads next, with non-temporal stores: the bytes go to memory without
/// taking a place in the core's caches. A 110 KB tensor a request, copied with ordinary stores, pushed a megabyte of cache
/// lines out of the core's 1 MB L2 every nine requests, and the model running on the same core read its weights back in.
/// </summary>
internal static unsafe class StreamingCopy
{
    // Below this a copy is a line of JSON or a small output: cheap either way, and likely read again soon.
    private const int MinStreamedBytes = 16 << 10;

    /// <summary>Copies <paramref name="source"/> to the start of <paramref name="destination"/>, which must be at least as long.</summary>
    public static void Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!Avx.IsSupported || source.Length < MinStreamedBytes)
        {
            source.CopyTo(destination);
            return;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        var at = 0;
        fixed (byte* from = source, to = destination)
        {
            // Aligned stores only: the bytes up to a 32-byte boundary, and the last partial vector, go the ordinary way.
            var head = (int)((32 - ((nuint)to & 31)) & 31);
            source[..head].CopyTo(destination);
            at = head;
            for (; at + 128 <= source.Length; at += 128)
            {
                var a = Avx.LoadVector256(from + at);
                var b = Avx.LoadVector256(from + at + 32);
                var c = Avx.LoadVector256(from + at + 64);
                var d = Avx.LoadVector256(from + at + 96);
                Avx.StoreAlignedNonTemporal(to + at, a);
                Avx.StoreAlignedNonTemporal(to + at + 32, b);
                Avx.StoreAlignedNonTemporal(to + at + 64, c);
                Avx.StoreAlignedNonTemporal(to + at + 96, d);
            }
            for (; at + 32 <= source.Length; at += 32) Avx.StoreAlignedNonTemporal(to + at, Avx.LoadVector256(from + at));
        }
        source[at..].CopyTo(destination[at..]);
        // Non-temporal stores are weakly ordered: fenced, they are in memory before the write that hands the buffer to the disk.
        Sse.StoreFence();
    }
}
