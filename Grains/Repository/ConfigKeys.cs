using System.Reflection;
using System.Text.Json;

namespace Cluster.Repository;

/// <summary>
/// Turns System.Text.Json's error about a config file into what its author needs: the key (as a
/// dotted path), the line, and for an unknown key the known key it most likely meant.
/// </summary>
internal static class ConfigKeys
{
    public static string Describe(JsonException error, Type document)
    {
        var line = (error.LineNumber ?? 0) + 1;
        var key = error.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (key is null) return $"not valid JSON (line {line}): {FirstSentence(error.Message)}";
        // System.Text.Json words an unmapped member this way; any other error at a key is a value of the wrong kind.
        if (!error.Message.Contains("could not be mapped", StringComparison.Ordinal)) return $"the value of '{key}' (line {line}) is not of the right kind.";
        var known = KnownAt(document, key);
        var name = key[(key.LastIndexOf('.') + 1)..];
        var guess = known.OrderBy(k => Distance(k, name)).FirstOrDefault(k => Distance(k, name) <= Math.Max(2, name.Length / 4));
        return guess is null
            ? $"unknown key '{key}' (line {line}); known keys here: {string.Join(", ", known)}."
            : $"unknown key '{key}' (line {line}); did you mean '{guess}'?";
    }

    /// <summary>The snake_case keys allowed beside the last part of <paramref name="key"/>.</summary>
    private static IReadOnlyList<string> KnownAt(Type document, string key)
    {
        var type = document;
        foreach (var part in key.Split('.')[..^1])
        {
            var property = Properties(type).FirstOrDefault(p => Name(p) == part);
            if (property is null) return [];
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        return [.. Properties(type).Select(Name).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract");

    private static string Name(PropertyInfo property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    // Edit distance: a typo is a few letters away from the key it meant.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
