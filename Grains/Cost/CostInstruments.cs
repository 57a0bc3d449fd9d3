using System.Diagnostics.Metrics;
using Cluster.Telemetry;
using Microsoft.Extensions.Options;

namespace Cluster.Cost;

/// <summary>
/// This silo's replica usage since it started, per model, version and device class, on the <see cref="InferenceInstruments.MeterName"/>
/// meter: Prometheus sums the silos and takes rates over any window, so no figure here needs the usage grains.
/// </summary>
public sealed class CostInstruments
{
    /// <summary>Creates the instruments once, from the host's meter factory.</summary>
    public CostInstruments(IMeterFactory meterFactory, UsageMeter usage, IOptions<CostOptions> options)
    {
        var meter = meterFactory.Create(InferenceInstruments.MeterName);
        var prices = options.Value;
        meter.CreateObservableCounter("cluster.cost.replica_seconds", () => Observe(usage, f => f.ReplicaSeconds), unit: "s", description: "Seconds replicas were loaded on this silo.");
        meter.CreateObservableCounter("cluster.cost.busy_seconds", () => Observe(usage, f => f.BusySeconds), unit: "s", description: "Seconds this silo's replicas spent computing batches.");
        meter.CreateObservableCounter("cluster.cost.memory_byte_seconds", () => Observe(usage, f => f.MemoryByteSeconds), description: "Bytes held by this silo's replica sessions times the seconds they held them.");
        meter.CreateObservableCounter("cluster.cost.estimated", () => usage.Totals().Select(t => Measure(prices.CostOf(t.Device, t.Figures), t)), description: "Estimated cost of this silo's replicas at the configured prices (Cost:PricePerReplicaHour, Cost:PricePerGiBHour).");
        meter.CreateObservableGauge("cluster.cost.utilization", () => Observe(usage, f => f.Utilization), description: "Busy over loaded time of this silo's replicas since it started, 0-1.");
    }

    private static IEnumerable<Measurement<double>> Observe(UsageMeter usage, Func<UsageFigures, double> figure) =>
        usage.Totals().Select(t => Measure(figure(t.Figures), t));

    private static Measurement<double> Measure(double value, (string Model, string Version, string Device, UsageFigures Figures) total) =>
        new(value, new("model", total.Model), new("version", total.Version), new("device", total.Device));
}
