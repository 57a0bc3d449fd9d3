using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Cluster.Models;
using Cluster.Onnx;
using Cluster.Tensors;

namespace Cluster.Tests.FakeTime;

/// <summary>One fake model: <c>y = x × scale</c> over any 2-D FP32 input, or a failure for every batch when it has no scale.</summary>
internal sealed class FakeModelSession(FakeModelRuntime runtime, string model, string version, float? scale) : IModelSession
{
    // A batch computes in the fake time it spent here (held at its gate while a test moved the clock), and
    // never in less than this, as no real runtime reports zero; adaptive batching sizes batches by it.
    private static readonly TimeSpan MinimumComputeTime = TimeSpan.FromMilliseconds(1);
    private bool _disposed;

    public ModelSignature Signature { get; } = new(
        [new TensorSpec("x", TensorDataType.FP32, [-1, -1])],
        [new TensorSpec("y", TensorDataType.FP32, [-1, -1])]);

    public string ExecutionProvider => "FakeExecutionProvider";

    public void WarmUp()
    {
    }

    public (ImmutableArray<TensorData> Outputs, TimeSpan Elapsed) RunTimed(ImmutableArray<TensorData> inputs, ImmutableArray<string> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var x = inputs.Single(i => i.Name == "x");
        var started = runtime.Clock.GetTimestamp();
        runtime.Started(new FakeBatch(runtime.Silo, model, version, x.Shape));
        runtime.WaitAtGate(model);
        if (scale is not { } factor) throw new ModelSessionException($"The fake model {model} version {version} fails every batch.");
        var y = MemoryMarshal.Cast<byte, float>(x.Data).ToArray();
        for (var i = 0; i < y.Length; i++) y[i] *= factor;
        var compute = runtime.Clock.GetElapsedTime(started);
        return ([TensorData.From<float>("y", y, [.. x.Shape])], compute > MinimumComputeTime ? compute : MinimumComputeTime);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        runtime.Disposed(model, version);
    }
}
