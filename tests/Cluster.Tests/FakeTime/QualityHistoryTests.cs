using Cluster.Grains;
using Cluster.Quality;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>The quality statistics grain's per-minute ring as the status page's history reads it: by the minute labels arrived, for an hour.</summary>
public sealed class QualityHistoryTests(QualityJoinFixture fixture) : IClassFixture<QualityJoinFixture>
{
    private static QualitySummary Labels(long labelled, long correct) =>
        new(labelled, [new ConfusionCell(0, 0, correct), new ConfusionCell(0, 1, labelled - correct)], [], 0, 0, 0, []);

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;

    [Fact]
    public async Task EachMinuteKeepsTheSumsOfTheLabelsThatArrivedInItForAnHour()
    {
        var grain = fixture.Grains.GetGrain<IQualityStatsGrain>(GrainKeys.Version(FakeTimeClusterFixture.Unique("qhist"), "1"));
        var first = MinuteOf(fixture.Clock.Now);
        await grain.Add(Labels(2, 1));
        await fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await grain.Add(Labels(3, 3));
        await grain.Add(Labels(1, 0));

        var history = await grain.GetHistory();

        history.Select(m => (MinuteOf(m.Minute), m.Summary.Labelled, QualitySums.Of(m.Summary).Correct)).ShouldBe([(first, 2L, 1L), (first + 1, 4L, 3L)]);
        history.ShouldAllBe(m => m.Minute.Second == 0, "a point is the start of its minute");

        await fixture.Clock.Advance(TimeSpan.FromMinutes(59));

        (await grain.GetHistory()).Select(m => MinuteOf(m.Minute)).ShouldBe([first + 1], "the minute an hour ago has left the history");
    }
}
