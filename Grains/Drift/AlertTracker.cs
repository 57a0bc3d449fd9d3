namespace Cluster.Drift;

/// <summary>
/// Raises an alert when a value crosses its threshold and clears it only once the value falls below
/// 80 % of it, so a value hovering at the threshold does not flap. Keeps active alerts and the last
/// cleared ones in the list it is given (grain state).
/// </summary>
public static class AlertTracker
{
    /// <summary>Fraction of the threshold a value must fall below to clear an alert.</summary>
    public const double ClearBelow = 0.8;

    private const int ClearedKept = 20;

    /// <summary>The change a new reading makes: the alert raised or cleared, or null when nothing changed.</summary>
    public static (ModelAlert Alert, bool Raised)? Update(List<ModelAlert> alerts, string model, string version, string kind, double? threshold, double? value, DateTimeOffset now)
    {
        var index = alerts.FindIndex(a => a.Kind == kind && a.IsActive);
        if (threshold is not { } limit || value is not { } reading)
        {
            // No threshold any more clears; no reading (too little traffic) leaves things as they are.
            if (threshold is null && index >= 0) return Clear(alerts, index, alerts[index].Value, alerts[index].Threshold, now);
            return null;
        }
        if (index < 0)
        {
            if (reading <= limit) return null;
            var raised = new ModelAlert(model, version, kind, limit, reading, now, null);
            alerts.Add(raised);
            return (raised, true);
        }
        if (reading < limit * ClearBelow) return Clear(alerts, index, reading, limit, now);
        alerts[index] = alerts[index] with { Value = reading, Threshold = limit };
        return null;
    }

    private static (ModelAlert, bool) Clear(List<ModelAlert> alerts, int index, double reading, double threshold, DateTimeOffset now)
    {
        // The reading that cleared it and the limit it was judged by, so the log line and the webhook's cleared payload show what fell below what.
        var cleared = alerts[index] with { Value = reading, Threshold = threshold, ClearedAt = now };
        alerts[index] = cleared;
        var old = alerts.Where(a => !a.IsActive).OrderByDescending(a => a.ClearedAt).Skip(ClearedKept).ToHashSet();
        alerts.RemoveAll(old.Contains);
        return (cleared, false);
    }
}
