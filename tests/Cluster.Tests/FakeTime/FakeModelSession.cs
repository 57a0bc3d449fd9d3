using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Cluster.Models;
using Cluster.Onnx;
using Cluster.Tensors;

namespace Cluster.Tests.FakeTime;

/// <summary>One fake model: <c>y = x × scale</c> over any 2-D FP32 input, or a failure for every batch when it has no scale.</summary>
internal sealed class FakeModelSession(FakeModelRuntime runtime, string model, string version, float? scale) : IModelSession
{
    // What the replica reports as compute time; the fake clock, not this, is what tests move.
    private static readonly TimeSpan ComputeTime = TimeSpan.FromMilliseconds(1);
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
        runtime.Started(new FakeBatch(runtime.Silo, model, version, x.Shape));
        runtime.WaitAtGate(model);
        if (scale is not { } factor) throw new ModelSessionException($"The fake model {model} version {version} fails every batch.");
        var y = MemoryMarshal.Cast<byte, float>(x.Data).ToArray();
        for (var i = 0; i < y.Length; i++) y[i] *= factor;
        return ([TensorData.From<float>("y", y, [.. x.Shape])], ComputeTime);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        runtime.Disposed(model, version);
    }
}
