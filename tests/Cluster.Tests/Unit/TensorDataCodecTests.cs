using System.Collections.Immutable;
using Cluster.Inference;
using Cluster.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>
/// The hand-written Orleans codec of <see cref="TensorData"/>: the same bytes as the generated codec it replaced (so silos and
/// clients of either build talk to each other), and large tensors read into lent arrays that the first grain to claim them returns.
/// </summary>
public sealed class TensorDataCodecTests
{
    // Written by the generated codec (main at b633a78) for GoldenRequest() and its second input: a small program serialized them.
    private const string GoldenRequestHex =
        "20400B7265712D3121200007214003780129212000050105000DE0E0411900070E151C232A31383F464DE8E020400379012121200007010900050009E0E04141" +
        "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1FE8E02040037A012921200003010DE0E0C11DE8E0E0E02120000341076F7574" +
        "E0E0C101C101C101C101E8E0";
    private const string GoldenTensorHex =
        "20400379012121200007010900050009E0E04141000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1FE8E0";

    private readonly Serializer _serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void WritesTheBytesTheGeneratedCodecWrote()
    {
        Convert.ToHexString(_serializer.SerializeToArray(GoldenRequest())).ShouldBe(GoldenRequestHex);
        Convert.ToHexString(_serializer.SerializeToArray(GoldenRequest().Inputs[1])).ShouldBe(GoldenTensorHex);
    }

    [Fact]
    public void ReadsTheBytesTheGeneratedCodecWroteWithSharedArraysStillShared()
    {
        var expected = GoldenRequest();
        var read = Read<InferenceRequest>(Convert.FromHexString(GoldenRequestHex));

        read.Id.ShouldBe(expected.Id);
        read.RequestedOutputs.ShouldBe(expected.RequestedOutputs);
        read.Inputs.Length.ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            read.Inputs[i].Name.ShouldBe(expected.Inputs[i].Name);
            read.Inputs[i].DataType.ShouldBe(expected.Inputs[i].DataType);
            read.Inputs[i].Shape.ShouldBe(expected.Inputs[i].Shape);
            read.Inputs[i].Data.ShouldBe(expected.Inputs[i].Data);
        }
        read.Inputs[2].Data.ShouldBeSameAs(read.Inputs[0].Data);
        var tensor = Read<TensorData>(Convert.FromHexString(GoldenTensorHex));
        (tensor.Name, tensor.DataType, tensor.Data.Length).ShouldBe(("y", TensorDataType.Int64, 32));
    }

    [Fact]
    public void ALargeTensorArrivesLentAndIsClaimedOnceThenReused()
    {
        TensorBuffers.LendReceived = true;
        var bytes = Bytes(TensorBuffers.MinPooledBytes + 3_001, seed: 5);
        var wire = _serializer.SerializeToArray(Request(new TensorData("x", TensorDataType.UInt8, [bytes.Length], bytes), new TensorData("small", TensorDataType.UInt8, [3], [1, 2, 3])));

        var received = Read<InferenceRequest>(wire);
        received.Inputs[0].Data.ShouldBe(bytes);
        TensorBuffers.IsLent(received.Inputs[0].Data).ShouldBeTrue();
        TensorBuffers.IsLent(received.Inputs[1].Data).ShouldBeFalse();

        var claimed = TensorBuffers.Claim(received.Inputs).ShouldNotBeNull();
        claimed.ShouldHaveSingleItem().ShouldBeSameAs(received.Inputs[0].Data);
        // A grain the claimant calls with the same request finds nothing left to claim, so it cannot return the array early.
        TensorBuffers.Claim(received.Inputs).ShouldBeNull();

        TensorBuffers.ReturnClaimed(claimed, outputs: []);
        var next = Read<InferenceRequest>(_serializer.SerializeToArray(Request(new TensorData("x", TensorDataType.UInt8, [bytes.Length], Bytes(bytes.Length, seed: 6)))));
        next.Inputs[0].Data.ShouldBeSameAs(received.Inputs[0].Data);
        next.Inputs[0].Data.ShouldBe(Bytes(bytes.Length, seed: 6));
    }

    [Fact]
    public void AClaimedArrayThatIsAlsoAnOutputIsNotReturned()
    {
        TensorBuffers.LendReceived = true;
        var length = TensorBuffers.MinPooledBytes + 3_119;
        var wire = _serializer.SerializeToArray(Request(new TensorData("x", TensorDataType.UInt8, [length], Bytes(length, seed: 7))));
        var received = Read<InferenceRequest>(wire);
        var claimed = TensorBuffers.Claim(received.Inputs);

        TensorBuffers.ReturnClaimed(claimed, outputs: [received.Inputs[0] with { Name = "echo" }]);

        TensorBuffers.IsLent(received.Inputs[0].Data).ShouldBeTrue();
        Read<InferenceRequest>(wire).Inputs[0].Data.ShouldNotBeSameAs(received.Inputs[0].Data);
    }

    [Fact]
    public void ATensorDisownedAsAResponseIsNotClaimedWhenPassedOnAsTheNextCallsInput()
    {
        TensorBuffers.LendReceived = true;
        var length = TensorBuffers.MinPooledBytes + 3_187;
        var outputs = Read<InferenceRequest>(_serializer.SerializeToArray(Request(new TensorData("y", TensorDataType.UInt8, [length], Bytes(length, seed: 8))))).Inputs;

        TensorBuffers.Disown(outputs);

        TensorBuffers.Claim(outputs).ShouldBeNull();
        TensorBuffers.IsLent(outputs[0].Data).ShouldBeTrue();
    }

    [Fact]
    public void TensorsAnArrayFromTheCallerLentAreNotClaimable()
    {
        var lent = TensorBuffers.Rent(TensorBuffers.MinPooledBytes + 3_203);
        TensorBuffers.Claim([new TensorData("x", TensorDataType.UInt8, [lent.Length], lent)]).ShouldBeNull();
    }

    private static InferenceRequest GoldenRequest()
    {
        var shared = Enumerable.Range(0, 12).Select(i => (byte)(i * 7)).ToArray();
        return new InferenceRequest("req-1",
            [
                new TensorData("x", TensorDataType.FP32, [1, 3], shared),
                new TensorData("y", TensorDataType.Int64, [2, 1, 2], [.. Enumerable.Range(0, 32).Select(i => (byte)i)]),
                new TensorData("z", TensorDataType.FP32, [3], shared),
            ],
            ["out"]);
    }

    private T Read<T>(byte[] wire) where T : class => _serializer.Deserialize<T>(wire).ShouldNotBeNull();

    private static InferenceRequest Request(params TensorData[] inputs) => new(null, [.. inputs], ImmutableArray<string>.Empty);

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
