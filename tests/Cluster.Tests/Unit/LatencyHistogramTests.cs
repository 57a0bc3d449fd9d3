using Cluster.Statistics;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void MergedPercentilesMatchTheUnionOfSamplesWithinOnePercent()
    {
        var random = new Random(3);
        var fast = Enumerable.Range(0, 5000).Select(_ => 0.001 + random.NextDouble() * 0.004).ToArray();
        var slow = Enumerable.Range(0, 3000).Select(_ => 0.02 * Math.Exp(random.NextDouble() * 2)).ToArray();
        var a = new LatencyRecorder();
        var b = new LatencyRecorder();
        foreach (var s in fast) a.Record(TimeSpan.FromSeconds(s));
        foreach (var s in slow) b.Record(TimeSpan.FromSeconds(s));

        var merged = a.TakeSnapshot().Merge(b.TakeSnapshot());

        var union = fast.Concat(slow).Order().ToArray();
        merged.Count.ShouldBe(union.Length);
        foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99, 0.999 })
        {
            var exact = union[(int)Math.Ceiling(q * union.Length) - 1];
            Math.Abs(merged.Percentile(q) - exact).ShouldBeLessThanOrEqualTo(exact * 0.0101, $"p{q * 100}");
        }
        merged.MeanSeconds.ShouldBe(union.Average(), 1e-6); // TimeSpan keeps 100 ns ticks
    }

    [Fact]
    public void TakingASnapshotStartsOver()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(TimeSpan.FromMilliseconds(3));

        recorder.TakeSnapshot().Count.ShouldBe(1);
        recorder.TakeSnapshot().ShouldBe(LatencyHistogram.Empty);
        LatencyHistogram.Empty.Percentile(0.99).ShouldBe(0);
    }
}
