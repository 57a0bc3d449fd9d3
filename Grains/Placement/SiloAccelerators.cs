using System.Globalization;

namespace Cluster.Placement;

/// <summary>How a silo advertises its accelerators to placement: silo metadata <see cref="MetadataKey"/> = device count.</summary>
public static class SiloAccelerators
{
    /// <summary>Silo metadata key holding the number of CUDA devices.</summary>
    public const string MetadataKey = "cluster.accelerators";

    /// <summary>Silo metadata key marking silos that host replicas.</summary>
    public const string InferenceKey = "cluster.inference";

    /// <summary>CUDA devices the NVIDIA driver exposes on this machine (0 without a driver).</summary>
    public static int Detect()
    {
        const string driverGpus = "/proc/driver/nvidia/gpus";
        return Directory.Exists(driverGpus) ? Directory.GetDirectories(driverGpus).Length : 0;
    }

    /// <summary>Reads the advertised count from metadata; 0 when absent.</summary>
    public static int Read(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(MetadataKey, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
}
