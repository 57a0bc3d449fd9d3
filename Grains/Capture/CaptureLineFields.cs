using System.Text;
using System.Text.Json;

namespace Cluster.Capture;

/// <summary>
/// Reads a record line's <c>version</c> and <c>completed_at</c> without parsing the tensors: the
/// writer puts them before the inputs, so a file export filters a large record cheaply.
/// </summary>
public static class CaptureLineFields
{
    /// <summary>False for a line that is not a whole record (e.g. the last line of a file still being written).</summary>
    public static bool TryRead(string line, out string? version, out DateTimeOffset completedAt)
    {
        version = null;
        completedAt = default;
        var found = 0;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "version": version = reader.GetString(); found++; break;
                    case "completed_at": completedAt = reader.GetDateTimeOffset(); found++; break;
                    default: reader.Skip(); break;
                }
                if (found == 2) return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
        return false;
    }
}
