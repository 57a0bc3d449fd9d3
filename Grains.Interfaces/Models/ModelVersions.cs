using System.Globalization;

namespace Cluster.Models;

/// <summary>Rules for version strings: positive integers, ordered numerically.</summary>
public static class ModelVersions
{
    /// <summary>Parses a version string; false unless it is a positive integer in canonical form.</summary>
    public static bool TryParse(string? text, out long version)
    {
        version = 0;
        return text is { Length: > 0 and <= 18 } && text[0] != '0'
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    /// <summary>Orders version strings numerically (2 before 10).</summary>
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create((a, b) =>
    {
        var byLength = a.Length.CompareTo(b.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a, b);
    });
}
