using System.Collections.Immutable;
using Cluster.Capture;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>A capture record keeps, past the call, only the tensor bytes it will write, and copies of lent ones.</summary>
public sealed class CapturedRequestKeepTests
{
    private static TensorData Lent(string name, byte fill)
    {
        var data = TensorBuffers.Rent(TensorBuffers.MinPooledBytes);
        Array.Fill(data, fill);
        return new TensorData(name, TensorDataType.UInt8, [data.Length], data);
    }

    [Fact]
    public void InputsAndOutputsItWritesAreCopiesOfTheLentArraysWithTheSameBytes()
    {
        var (x, y) = (Lent("x", 7), Lent("y", 9));
        var (request, outputs) = CapturedRequest.Keep(new InferenceRequest("r", [x], []), [y], new CaptureConfig(1));

        request.Inputs.Single().Data.ShouldNotBeSameAs(x.Data);
        request.Inputs.Single().Data.ShouldBe(x.Data);
        outputs.Single().Data.ShouldNotBeSameAs(y.Data);
        outputs.Single().Data.ShouldBe(y.Data);
    }

    [Fact]
    public void TensorsItLeavesOutKeepTheirNameAndShapeButNoBytes()
    {
        var (a, b, y) = (Lent("a", 1), Lent("b", 2), Lent("y", 3));
        var (redacted, noOutputs) = CapturedRequest.Keep(new InferenceRequest("r", [a, b], []), [y], new CaptureConfig(1, Outputs: false, Redact: ["a"]));
        redacted.Inputs.Select(i => (i.Name, i.Shape.Single(), i.Data.Length)).ShouldBe([("a", (long)a.Data.Length, 0), ("b", (long)b.Data.Length, b.Data.Length)]);
        noOutputs.IsDefault.ShouldBeTrue();

        var (none, _) = CapturedRequest.Keep(new InferenceRequest("r", [a, b], []), [y], new CaptureConfig(1, Inputs: false));
        none.Inputs.ShouldAllBe(i => i.Data.Length == 0);
        new CapturedRequest("m", "1", "primary", none, default, new CaptureConfig(1, Inputs: false, Outputs: false), null, DateTimeOffset.UnixEpoch, TimeSpan.Zero, "success", null)
            .PayloadBytes.ShouldBe(0, "a record without tensors holds no tensor bytes in the capture buffer");
    }
}
