using System.Text.Json;

namespace Cluster.Alerts;

/// <summary>The JSON body a receiver gets for a transition (snake_case, times in ISO 8601 UTC).</summary>
public static class WebhookPayload
{
    /// <summary>UTF-8 JSON bytes: exactly what is signed and sent.</summary>
    public static byte[] Serialize(AlertTransition transition)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", transition.Id);
            json.WriteString("alert_id", transition.AlertId);
            json.WriteString("state", transition.State);
            json.WriteString("model", transition.Model);
            json.WriteString("version", transition.Version);
            json.WriteString("kind", transition.Kind);
            Number(json, "value", transition.Value);
            Number(json, "threshold", transition.Threshold);
            json.WriteString("raised_at", transition.RaisedAt.ToUniversalTime());
            if (transition.ClearedAt is { } cleared) json.WriteString("cleared_at", cleared.ToUniversalTime());
            else json.WriteNull("cleared_at");
            json.WriteString("time", transition.At.ToUniversalTime());
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    // JSON has no NaN or infinity; a reading that is not a number is sent as null rather than failing the delivery.
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
