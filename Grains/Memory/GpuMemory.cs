using System.Diagnostics;
using System.Globalization;

namespace Cluster.Memory;

/// <summary>The total memory of a CUDA device, asked of nvidia-smi (ONNX Runtime's C# API does not expose it).</summary>
internal static class GpuMemory
{
    /// <summary>Bytes, or null when nvidia-smi is missing or says nothing usable.</summary>
    public static long? TotalBytes(int deviceId)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", ["--query-gpu=memory.total", "--format=csv,noheader,nounits", "-i", deviceId.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5000) || process.ExitCode != 0) return null;
            return long.TryParse(output.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mebibytes) ? mebibytes * 1024 * 1024 : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
