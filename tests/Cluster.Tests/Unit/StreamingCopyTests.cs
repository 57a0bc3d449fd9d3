using Cluster.Capture;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class StreamingCopyTests
{
    [Fact]
    public void EveryByteArrivesWhateverTheLengthAndTheDestinationsAlignment()
    {
        // Lengths around the streamed threshold and the vector loop's steps, a tensor's and an odd large one; every 32-byte phase of the destination.
        int[] lengths = [1, 16_383, 16_384, 16_385, 16_384 + 127, 110_592, 200_003];
        var source = Enumerable.Range(0, lengths.Max()).Select(i => (byte)(i * 31 + 7)).ToArray();
        foreach (var length in lengths)
        {
            for (var offset = 0; offset < 33; offset++)
            {
                var destination = new byte[offset + length + 64];
                StreamingCopy.Copy(source.AsSpan(0, length), destination.AsSpan(offset));
                destination.AsSpan(offset, length).SequenceEqual(source.AsSpan(0, length)).ShouldBeTrue($"{length} bytes at offset {offset}");
                destination.AsSpan(0, offset).ToArray().ShouldAllBe(b => b == 0, "nothing before the destination");
                destination.AsSpan(offset + length).ToArray().ShouldAllBe(b => b == 0, "nothing past the copy");
            }
        }
    }

    [Fact]
    public void ADestinationShorterThanTheSourceIsRefused()
    {
        var source = new byte[20_000];
        Should.Throw<ArgumentException>(() => StreamingCopy.Copy(source, new byte[19_999]));
    }
}
