using System.Diagnostics.Metrics;

namespace Cluster.Alerts;

/// <summary>Alert delivery metrics (meter <c>Cluster.Alerts</c>); tags are outcome and state, never receivers' URLs.</summary>
public sealed class AlertInstruments
{
    /// <summary>Meter name to subscribe to.</summary>
    public const string MeterName = "Cluster.Alerts";

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _attempts;

    /// <summary>Creates the instruments once, from the host's meter factory.</summary>
    public AlertInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("cluster.alerts.deliveries", description: "Alert transitions handed to webhook receivers, by outcome (delivered, failed, duplicate) and state (raised, cleared).");
        _attempts = meter.CreateCounter<long>("cluster.alerts.delivery.attempts", description: "Webhook requests made, retries included.");
    }

    /// <summary>Records a finished delivery and the requests it took.</summary>
    public void RecordDelivery(bool delivered, string state, int attempts)
    {
        if (_deliveries.Enabled) _deliveries.Add(1, new("outcome", delivered ? "delivered" : "failed"), new("state", state));
        if (_attempts.Enabled) _attempts.Add(attempts);
    }

    /// <summary>Records a transition a receiver already had.</summary>
    public void RecordDuplicate(string state)
    {
        if (_deliveries.Enabled) _deliveries.Add(1, new("outcome", "duplicate"), new("state", state));
    }
}
