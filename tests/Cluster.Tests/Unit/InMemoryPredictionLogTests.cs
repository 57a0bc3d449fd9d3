using System.Diagnostics.Metrics;
using Cluster.Quality;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;

namespace Cluster.Tests.Unit;

/// <summary>The embedded default's prediction log: first label wins, expired predictions are unknown, a full log drops and counts.</summary>
public sealed class InMemoryPredictionLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private InMemoryPredictionLog Log(int capacity = 100) =>
        new(Options.Create(new QualityOptions { MaxRecordsInMemory = capacity }), new QualityInstruments(_services.GetRequiredService<IMeterFactory>()));

    private static PredictionRecord Record(string id, string version = "1", int hours = 72) => new("m", id, version, null, 0, float.NaN, double.NaN, T0, T0.AddHours(hours));

    [Fact]
    public async Task ALabelClaimsItsPredictionOnceAndALaterLabelIsADuplicate()
    {
        var log = Log();
        log.Offer(Record("a"));
        log.Offer(Record("a", version: "2"));   // a reused id keeps its first prediction

        var first = await log.Claim("m", ["a", "b"], T0.AddHours(1), CancellationToken.None);
        var again = await log.Claim("m", ["a"], T0.AddHours(2), CancellationToken.None);

        first[0].Record!.Version.ShouldBe("1");
        (first[1].Record, first[1].AlreadyLabelled).ShouldBe((null, false), "never served");
        (again[0].Record, again[0].AlreadyLabelled).ShouldBe((null, true));
        (await log.Claim("other", ["a"], T0, CancellationToken.None))[0].Record.ShouldBeNull("ids are per model");
    }

    [Fact]
    public async Task APredictionPastItsRetentionIsUnknownAndPruned()
    {
        var log = Log();
        log.Offer(Record("late", hours: 72));
        log.Offer(Record("expired", hours: 72));
        log.Offer(Record("kept", hours: 100));

        (await log.Claim("m", ["late"], T0.AddHours(71.9), CancellationToken.None))[0].Record.ShouldNotBeNull("a label may come days later");
        (await log.Claim("m", ["expired"], T0.AddHours(72), CancellationToken.None))[0].ShouldBe(new PredictionClaim("expired", null, false));
        (await log.Prune(T0.AddHours(72), CancellationToken.None)).ShouldBe(2);
        log.Count.ShouldBe(1);
    }

    [Fact]
    public void AFullLogDropsNewPredictionsAndCountsThem()
    {
        var log = Log(capacity: 2);
        var dropped = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "cluster.quality.predictions.dropped") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => dropped += value);
        listener.Start();

        foreach (var id in new[] { "a", "b", "c" }) log.Offer(Record(id));

        (log.Count, dropped).ShouldBe((2, 1L));
    }
}
