namespace Cluster.Onnx;

/// <summary>Where a session runs.</summary>
public enum ExecutionDevice
{
    /// <summary>CUDA when it can be loaded, CPU otherwise.</summary>
    Auto,
    /// <summary>CPU execution provider only.</summary>
    Cpu,
    /// <summary>CUDA execution provider; loading fails when CUDA is not usable.</summary>
    Cuda,
}

/// <summary>Parses device names from configuration.</summary>
public static class ExecutionDevices
{
    /// <summary>Parses <c>auto</c>, <c>cpu</c> or <c>cuda</c> (any case).</summary>
    public static ExecutionDevice Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => ExecutionDevice.Auto,
        "cpu" => ExecutionDevice.Cpu,
        "cuda" or "gpu" => ExecutionDevice.Cuda,
        _ => throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda."),
    };
}
