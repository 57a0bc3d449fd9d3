using System.Text.Json;

namespace Cluster.Client.Remote;

/// <summary>Reading the gateway's JSON bodies: required and optional members by their wire names.</summary>
internal static class JsonFields
{
    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>A string member, null when absent or null.</summary>
    public static string? OptionalText(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number member, null when absent or null (members the gateway leaves out when they have no value).</summary>
    public static double? Number(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static long Long(this JsonElement element, string name) => element.GetProperty(name).GetInt64();
}
