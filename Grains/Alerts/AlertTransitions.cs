using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cluster.Drift;

namespace Cluster.Alerts;

/// <summary>Turns an alert the stats grain raised or cleared into the transition webhooks are sent.</summary>
public static class AlertTransitions
{
    /// <summary>
    /// The transition <paramref name="alert"/> just made: raised while active, cleared once it has a clear time.
    /// Its ids derive from the alert itself (model, version, kind, when raised), so the same transition
    /// reported twice, from anywhere, carries the same id and is delivered once.
    /// </summary>
    public static AlertTransition From(ModelAlert alert)
    {
        var alertId = AlertId(alert);
        var state = alert.IsActive ? AlertTransition.Raised : AlertTransition.Cleared;
        return new AlertTransition($"{alertId}.{state}", alertId, state, alert.Model, alert.Version, alert.Kind, alert.Value, alert.Threshold, alert.RaisedAt, alert.ClearedAt);
    }

    private static string AlertId(ModelAlert alert)
    {
        var identity = string.Create(CultureInfo.InvariantCulture, $"{alert.Model}\n{alert.Version}\n{alert.Kind}\n{alert.RaisedAt.UtcTicks}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..20];
    }
}
