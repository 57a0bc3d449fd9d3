using Cluster.Drift;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class DriftFeaturesTests
{
    // Element i of a tensor holds i, so a sampled value names the element it was read from.
    private static TensorData Counting(params long[] shape) =>
        TensorData.From<float>("x", Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(i => (float)i).ToArray(), shape);

    [Fact]
    public void AnImageTensorIsSampledPerChannelEveryRowsPlaneOfThatChannelInOrder()
    {
        // Two rows of three channels of 4×5 pixels: channel c of row r is elements r*60 + c*20 .. + 19.
        var features = DriftFeatures.Sample(Counting(2, 3, 4, 5), maxValues: 1000).ToList();

        features.Select(f => f.Feature).ShouldBe(["x[c=0]", "x[c=1]", "x[c=2]"]);
        for (var c = 0; c < 3; c++)
        {
            var expected = Enumerable.Range(0, 2).SelectMany(r => Enumerable.Range(r * 60 + c * 20, 20)).Select(i => (double)i);
            features[c].Values.ShouldBe(expected);
        }
    }

    [Fact]
    public void ARowOfFewElementsIsSampledPerElementAcrossRows()
    {
        var features = DriftFeatures.Sample(Counting(4, 6), maxValues: 1000).ToList();

        features.Count.ShouldBe(6);
        features[5].Feature.ShouldBe("x[5]");
        for (var e = 0; e < 6; e++) features[e].Values.ShouldBe(Enumerable.Range(0, 4).Select(r => (double)(r * 6 + e)));
    }

    [Fact]
    public void AWideTensorIsOneFeatureAndEveryFeatureIsThinnedToItsBudgetByAFixedStep()
    {
        var wide = DriftFeatures.Sample(Counting(2, 100), maxValues: 30).Single();
        wide.Feature.ShouldBe("x");
        // 200 values, at most 30: every 7th.
        wide.Values.ShouldBe(Enumerable.Range(0, 29).Select(k => (double)(k * 7)));

        var channel = DriftFeatures.Sample(Counting(2, 3, 4, 5), maxValues: 8).ToList()[2];
        // 40 values of channel 2, at most 8: every 5th, across the row boundary (value 20 of the channel is row 1's first).
        channel.Values.ShouldBe(new[] { 0, 5, 10, 15, 20, 25, 30, 35 }.Select(i => (double)((i / 20) * 60 + 40 + i % 20)));
    }
}
