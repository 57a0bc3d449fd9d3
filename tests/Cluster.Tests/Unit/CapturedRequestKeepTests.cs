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
    public void InputsAndOutputsItWritesAreTheLentArraysThemselvesBackInThePoolOnlyOnceTheRecordIsDoneToo()
    {
        // A length no other test rents, so the pool's answers below are about these arrays alone.
        const int length = TensorBuffers.MinPooledBytes + 7_919;
        var data = TensorBuffers.Rent(length);
        Array.Fill(data, (byte)7);
        var x = new TensorData("x", TensorDataType.UInt8, [length], data);
        var y = Lent("y", 9);
        var (request, outputs) = CapturedRequest.Keep(new InferenceRequest("r", [x], []), [y], new CaptureConfig(1));

        request.Inputs.Single().Data.ShouldBeSameAs(data, "no copy of the input per captured request");
        outputs.Single().Data.ShouldBeSameAs(y.Data);
        TensorBuffers.Return(data);
        TensorBuffers.IsLent(data).ShouldBeTrue("the call gave its array back, but the record still holds it");
        var other = TensorBuffers.Rent(length);
        other.ShouldNotBeSameAs(data, "an array a record holds is never lent to another request");
        request.Inputs.Single().Data.ShouldAllBe(b => b == 7);

        TensorBuffers.Return(request.Inputs);
        TensorBuffers.IsLent(data).ShouldBeFalse();
        TensorBuffers.Rent(length).ShouldBeSameAs(data, "once the record is written too, the array is reused");
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
