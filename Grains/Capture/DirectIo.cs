using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cluster.Capture;

/// <summary>
/// Turns on O_DIRECT for an open file on Linux: its writes then go from our buffer to the disk without a copy into the
/// page cache. .NET has no open option for it on Unix, but Linux lets <c>fcntl(F_SETFL)</c> switch it on an open file.
/// </summary>
internal static partial class DirectIo
{
    /// <summary>What O_DIRECT needs aligned: buffer address, length and file offset (the largest logical block size in use).</summary>
    public const int Alignment = 4096;

    private const int GetFlags = 3; // F_GETFL
    private const int SetFlags = 4; // F_SETFL

    /// <summary>True when the file's writes now bypass the page cache; false where the platform or file system has no O_DIRECT.</summary>
    public static bool TryEnable(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux()) return false;
        // The flag's value differs between Linux architectures.
        var direct = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x4000,
            Architecture.Arm64 or Architecture.Arm => 0x10000,
            _ => 0,
        };
        if (direct == 0) return false;
        var fd = (int)file.DangerousGetHandle();
        var flags = Fcntl(fd, GetFlags, 0);
        // tmpfs on older kernels and some FUSE file systems refuse it (EINVAL): the caller writes through the page cache then.
        return flags >= 0 && Fcntl(fd, SetFlags, flags | direct) == 0;
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);
}
