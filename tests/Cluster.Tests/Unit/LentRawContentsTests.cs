extern alias silo;
using System.Buffers;
using Cluster.Tensors;
using Google.Protobuf;
using Shouldly;
using ServedRequest = silo::Cluster.Protocol.V2.ModelInferRequest;

namespace Cluster.Tests.Unit;

/// <summary>
/// The gateway's gRPC parse of ModelInferRequest: large raw_input_contents entries land in lent arrays, everything else is what
/// protobuf itself reads. Messages are built with the generated types and cut into many segments, as they arrive from the socket.
/// </summary>
public sealed class LentRawContentsTests
{
    [Fact]
    public void LargeRawContentsAreLentAndEveryOtherFieldReadsAsProtobufReadsIt()
    {
        var large = Bytes(TensorBuffers.MinPooledBytes + 4_093, seed: 1);
        var small = Bytes(40, seed: 2);
        var message = new ServedRequest { ModelName = "m", ModelVersion = "3", Id = "req-7" };
        message.Parameters["timeout"] = new silo::Cluster.Protocol.V2.InferParameter { Int64Param = 250 };
        message.Inputs.Add(Input("image", 1, 3, 48, 192));
        message.Inputs.Add(Input("scale", 1, 10));
        message.Outputs.Add(new ServedRequest.Types.InferRequestedOutputTensor { Name = "y" });
        message.RawInputContents.Add(ByteString.CopyFrom(large));
        message.RawInputContents.Add(ByteString.CopyFrom(small));

        var parsed = ServedRequest.ParseLendingRawContents(Segmented(message.ToByteArray(), 1_000));

        var lent = parsed.LentRawInput(0).ShouldNotBeNull();
        lent.ShouldBe(large);
        TensorBuffers.IsLent(lent).ShouldBeTrue();
        parsed.LentRawInput(1).ShouldBeNull("a small entry stays in protobuf's bytes");
        parsed.RawInputContents.Count.ShouldBe(2, "a lent entry keeps its place");
        parsed.RawInputContents[1].ToByteArray().ShouldBe(small);
        var rest = parsed.Clone();
        rest.RawInputContents.Clear();
        var expected = message.Clone();
        expected.RawInputContents.Clear();
        rest.ShouldBe(expected);
        TensorBuffers.Return(lent);
    }

    [Fact]
    public void ATruncatedMessageFailsAsProtobufFailsIt()
    {
        var message = new ServedRequest { ModelName = "m" };
        message.Inputs.Add(Input("image", 1, 3, 48, 192));
        message.RawInputContents.Add(ByteString.CopyFrom(Bytes(TensorBuffers.MinPooledBytes + 10, seed: 3)));
        var bytes = message.ToByteArray();
        var cut = bytes.AsSpan(0, bytes.Length - 100).ToArray();

        Should.Throw<InvalidProtocolBufferException>(() => ServedRequest.ParseLendingRawContents(Segmented(cut, 4_096)));
    }

    private static ServedRequest.Types.InferInputTensor Input(string name, params long[] shape)
    {
        var input = new ServedRequest.Types.InferInputTensor { Name = name, Datatype = "FP32" };
        input.Shape.AddRange(shape);
        return input;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var start = 0; start < bytes.Length; start += size)
        {
            var segment = new Segment(bytes.AsMemory(start, Math.Min(size, bytes.Length - start)), last);
            first ??= segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is null) return;
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }
}
