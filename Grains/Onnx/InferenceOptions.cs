using System.ComponentModel.DataAnnotations;

namespace Cluster.Onnx;

/// <summary>How this silo runs ONNX Runtime sessions (configuration section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Inference";

    /// <summary><c>auto</c> (CUDA when it loads, else CPU), <c>cpu</c>, or <c>cuda</c> (fail when CUDA cannot load).</summary>
    [RegularExpression("^(?i)(auto|cpu|cuda)$", ErrorMessage = "Inference:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";

    /// <summary>CUDA device ordinal used by sessions on this silo.</summary>
    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>Threads per session for intra-operator parallelism; 0 lets ONNX Runtime choose.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }
}
