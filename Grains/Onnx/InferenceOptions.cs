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

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin after a run, waiting for the next one. Off by
    /// default: a silo's cores also receive, parse and route requests, and spinning workers take
    /// those cycles (the served protocols gained 25-90 % throughput on 2 shared cores without it).
    /// A silo that does nothing but compute on many dedicated cores may turn it on.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>
    /// Bytes the replicas on this silo may hold; when a load would pass it, the least recently
    /// used unpinned version is evicted first. 0 means automatic: 90 % of the GPU's memory on a
    /// silo whose sessions run on CUDA, else 80 % of the memory available to the process.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MemoryBudgetBytes { get; set; }

    /// <summary>How long a load waits for room (while the budget is held by pinned or busy versions) before it fails; kept under the 30-s grain call timeout.</summary>
    [Range(1, 3600)]
    public int MemoryWaitSeconds { get; set; } = 20;
}
