using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Cluster.Cost;

/// <summary>The product name of a CUDA device (e.g. <c>NVIDIA H200</c>), asked of nvidia-smi once per device: ONNX Runtime's C# API does not expose it.</summary>
public static class GpuNames
{
    private static readonly ConcurrentDictionary<int, string?> Known = new();

    /// <summary>The name of device <paramref name="deviceId"/>, or null when nvidia-smi is missing or says nothing usable.</summary>
    public static string? Of(int deviceId) => Known.GetOrAdd(deviceId, Ask);

    private static string? Ask(int deviceId)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader", "-i", deviceId.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(5000) || process.ExitCode != 0) return null;
            return output.Length > 0 ? output : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
