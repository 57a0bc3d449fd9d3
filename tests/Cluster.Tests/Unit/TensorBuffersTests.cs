using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>
/// The pool of large tensor arrays. Lengths here are odd ones no served model uses, since the pool is process-wide and other
/// tests in this process may rent beside these.
/// </summary>
public sealed class TensorBuffersTests
{
    [Fact]
    public void AReturnedArrayIsLentAgainForTheSameLengthAndOnlyThatLength()
    {
        const int length = TensorBuffers.MinPooledBytes + 1_011;
        var first = TensorBuffers.Rent(length);
        first.Length.ShouldBe(length);
        TensorBuffers.IsLent(first).ShouldBeTrue();
        TensorBuffers.Return(first);
        TensorBuffers.IsLent(first).ShouldBeFalse();

        TensorBuffers.Rent(length + 1).ShouldNotBeSameAs(first);
        var again = TensorBuffers.Rent(length);
        again.ShouldBeSameAs(first);
        TensorBuffers.IsLent(again).ShouldBeTrue();
    }

    [Fact]
    public void AnArrayReturnedTwiceIsLentOnlyOnce()
    {
        const int length = TensorBuffers.MinPooledBytes + 2_029;
        var array = TensorBuffers.Rent(length);
        TensorBuffers.Return(array);
        TensorBuffers.Return(array);

        var first = TensorBuffers.Rent(length);
        var second = TensorBuffers.Rent(length);
        first.ShouldBeSameAs(array);
        second.ShouldNotBeSameAs(array, "a second return must not put the same array in the pool twice");
    }

    [Fact]
    public void SmallArraysAndArraysNobodyRentedAreNeverPooled()
    {
        var small = TensorBuffers.Rent(1_000);
        small.Length.ShouldBe(1_000);
        TensorBuffers.IsLent(small).ShouldBeFalse();

        const int length = TensorBuffers.MinPooledBytes + 3_037;
        var foreign = new byte[length];
        TensorBuffers.Return(foreign);
        TensorBuffers.Rent(length).ShouldNotBeSameAs(foreign, "only arrays the pool lent come back to it");
    }

    [Fact]
    public void KeepCopiesLentBytesAndLeavesEverythingElseAsItIs()
    {
        const int length = TensorBuffers.MinPooledBytes + 4_051;
        var lent = TensorBuffers.Rent(length);
        Random.Shared.NextBytes(lent);
        var pooled = new TensorData("x", TensorDataType.UInt8, [length], lent);
        var owned = TensorData.From<float>("y", [1f, 2f], 2);

        var kept = TensorBuffers.Keep(pooled);
        kept.Data.ShouldNotBeSameAs(lent);
        kept.Data.ShouldBe(lent);
        TensorBuffers.IsLent(kept.Data).ShouldBeTrue("the copy is rented for its keeper, who may return it once done");
        TensorBuffers.Return(lent);
        TensorBuffers.Rent(length).ShouldBeSameAs(lent, "the original went back to the pool; the copy is still the keeper's");
        kept.Data.ShouldBe(pooled.Data);
        TensorBuffers.Keep(owned).ShouldBeSameAs(owned);

        var request = new InferenceRequest("r", [pooled, owned], []);
        var keptRequest = TensorBuffers.Keep(request);
        keptRequest.Inputs[0].Data.ShouldNotBeSameAs(lent);
        keptRequest.Inputs[0].Data.ShouldBe(lent);
        keptRequest.Inputs[1].ShouldBeSameAs(owned);
        var plain = new InferenceRequest("p", [owned], []);
        TensorBuffers.Keep(plain).ShouldBeSameAs(plain);
        ImmutableArray<TensorData> none = default;
        TensorBuffers.Keep(none).IsDefault.ShouldBeTrue();
    }

    [Fact]
    public void ASharedArrayGoesBackToThePoolWhenItsLastHolderReturnsIt()
    {
        const int length = TensorBuffers.MinPooledBytes + 6_133;
        var lent = TensorBuffers.Rent(length);
        var tensor = new TensorData("x", TensorDataType.UInt8, [length], lent);
        var owned = TensorData.From<float>("y", [1f, 2f], 2);

        TensorBuffers.Share(tensor).ShouldBeSameAs(tensor);
        TensorBuffers.Share(owned).ShouldBeSameAs(owned);
        var request = new InferenceRequest("r", [tensor, owned], []);
        TensorBuffers.Share(request).ShouldBeSameAs(request);
        TensorBuffers.Return(lent);
        TensorBuffers.Return(lent);
        TensorBuffers.IsLent(lent).ShouldBeTrue("rented once and shared twice: one holder is left");
        TensorBuffers.Rent(length).ShouldNotBeSameAs(lent);

        TensorBuffers.Return(request.Inputs);
        TensorBuffers.IsLent(lent).ShouldBeFalse();
        TensorBuffers.Rent(length).ShouldBeSameAs(lent);
    }

    [Fact]
    public void AJoinedBatchLendsItsOwnArraysAndGivesThemBackButNeverTheOnesOfALoneRequest()
    {
        const int row = TensorBuffers.MinPooledBytes + 5_003;
        InferenceRequest Request(byte fill)
        {
            var data = TensorBuffers.Rent(row);
            Array.Fill(data, fill);
            return new InferenceRequest(null, [new TensorData("x", TensorDataType.UInt8, [1, row], data)], []);
        }
        var (a, b) = (Request(1), Request(2));

        var joined = Batching.BatchAssembler.Join([a, b]);
        var batchArray = joined.Inputs[0].Data;
        batchArray.Length.ShouldBe(2 * row);
        batchArray.AsSpan(0, row).ToArray().ShouldAllBe(v => v == 1);
        batchArray.AsSpan(row).ToArray().ShouldAllBe(v => v == 2);
        TensorBuffers.IsLent(batchArray).ShouldBeTrue();
        Batching.BatchAssembler.Release(joined);
        TensorBuffers.IsLent(batchArray).ShouldBeFalse();

        var alone = Batching.BatchAssembler.Join([a]);
        alone.Inputs[0].Data.ShouldBeSameAs(a.Inputs[0].Data);
        Batching.BatchAssembler.Release(alone);
        TensorBuffers.IsLent(a.Inputs[0].Data).ShouldBeTrue("a lone request's arrays belong to its sender, who returns them after the answer");
    }
}
