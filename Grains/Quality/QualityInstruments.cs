using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Telemetry;

namespace Cluster.Quality;

/// <summary>
/// Quality series of the versions whose statistics grain lives on this silo (gauges: each version's figures appear on one silo at a time),
/// and the count of predictions the log dropped.
/// </summary>
public sealed class QualityInstruments
{
    private readonly ConcurrentDictionary<(string Model, string Version), VersionQuality> _latest = new();
    private readonly Counter<long> _dropped;

    /// <summary>Creates the instruments on the <see cref="InferenceInstruments.MeterName"/> meter.</summary>
    public QualityInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InferenceInstruments.MeterName);
        _dropped = meter.CreateCounter<long>("cluster.quality.predictions.dropped", description: "Served predictions not kept for the ground-truth join because the log was full or behind.");
        meter.CreateObservableGauge("cluster.quality.labelled", () => Observe(q => q.Labelled), description: "Predictions joined to a ground-truth label.");
        meter.CreateObservableGauge("cluster.quality.accuracy", () => Observe(q => q.Accuracy), description: "Share of labelled predictions whose class was right.");
        meter.CreateObservableGauge("cluster.quality.mae", () => Observe(q => q.Mae), description: "Mean absolute error of labelled predictions.");
        meter.CreateObservableGauge("cluster.quality.disparity", () => Observe(q => q.Disparity),
            description: "A binary classifier's largest gap between segments in positive rate or true-positive rate.");
    }

    /// <summary>Publishes a version's latest figures.</summary>
    public void Publish(string model, VersionQuality quality) => _latest[(model, quality.Version)] = quality;

    /// <summary>Stops publishing a version (its statistics grain left this silo).</summary>
    public void Withdraw(string model, string version) => _latest.TryRemove((model, version), out _);

    /// <summary>Counts predictions the log could not keep.</summary>
    public void CountDropped(string model, int count)
    {
        if (_dropped.Enabled) _dropped.Add(count, new KeyValuePair<string, object?>("model", model));
    }

    private IEnumerable<Measurement<double>> Observe(Func<VersionQuality, double?> figure)
    {
        foreach (var ((model, version), quality) in _latest)
        {
            if (figure(quality) is { } value) yield return new Measurement<double>(value, new("model", model), new("version", version));
        }
    }
}
