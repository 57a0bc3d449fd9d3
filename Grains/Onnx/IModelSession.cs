using System.Collections.Immutable;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Onnx;

/// <summary>One loaded model, owned by one replica, which runs one batch at a time on it and disposes it when done.</summary>
public interface IModelSession : IDisposable
{
    /// <summary>Inputs and outputs as the model declares them.</summary>
    ModelSignature Signature { get; }

    /// <summary>Execution provider the session runs on (e.g. <c>CPUExecutionProvider</c>).</summary>
    string ExecutionProvider { get; }

    /// <summary>Runs a throw-away batch so that the first real request does not pay for lazy set-up.</summary>
    /// <exception cref="ModelSessionException">The model failed on the warm-up batch.</exception>
    void WarmUp();

    /// <summary>
    /// Runs one batch and measures the time spent computing it; <paramref name="outputs"/> empty
    /// means every output, in model order.
    /// </summary>
    /// <exception cref="ModelSessionException">The model failed on these inputs (or produced an output that cannot be served); the message says why.</exception>
    (ImmutableArray<TensorData> Outputs, TimeSpan Elapsed) RunTimed(ImmutableArray<TensorData> inputs, ImmutableArray<string> outputs);
}
