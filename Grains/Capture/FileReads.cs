using Microsoft.Win32.SafeHandles;

namespace Cluster.Capture;

/// <summary>Reads of capture files that another writer may still be extending.</summary>
internal static class FileReads
{
    /// <summary>Reads from <paramref name="offset"/> until <paramref name="into"/> is full or the file ends; returns how many bytes came.</summary>
    public static int ReadAt(SafeFileHandle file, Span<byte> into, long offset)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = RandomAccess.Read(file, into[read..], offset + read);
            if (n == 0) break;
            read += n;
        }
        return read;
    }
}
