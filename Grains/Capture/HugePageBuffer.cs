using System.Runtime.InteropServices;

namespace Cluster.Capture;

/// <summary>
/// Native buffers for O_DIRECT writes. One of a huge page (2 MB) or more is aligned to one and advised (Linux transparent huge
/// pages) to be backed by huge pages; a smaller one is aligned only as O_DIRECT needs. The disk takes a write as a list of physically contiguous segments, and virtio-blk here takes at most 254 per
/// request: from 4 KB pages a megabyte went to the disk as two requests, each kicked with an exit to the hypervisor, while
/// from huge pages a 4 MB write is one request. Where the kernel gives no huge page the buffer works the same, in small pages.
/// </summary>
internal static unsafe partial class HugePageBuffer
{
    private const int HugePage = 2 << 20;
    private const int AdviseHugePages = 14; // MADV_HUGEPAGE

    /// <summary>A buffer of <paramref name="bytes"/> bytes, freed with <see cref="Free"/>.</summary>
    public static byte* Allocate(int bytes)
    {
        // A buffer smaller than a huge page gets none: aligned to what O_DIRECT needs, it does not reserve 2 MB of address space.
        if (bytes < HugePage) return (byte*)NativeMemory.AlignedAlloc((nuint)bytes, DirectIo.Alignment);
        var buffer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, HugePage);
        // Advice only: a refusal (no THP in this kernel, another OS) leaves ordinary pages, which O_DIRECT takes as well.
        if (OperatingSystem.IsLinux()) _ = Madvise(buffer, (nuint)bytes, AdviseHugePages);
        return buffer;
    }

    public static void Free(byte* buffer) => NativeMemory.AlignedFree(buffer);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
