using System.Text.RegularExpressions;

namespace Cluster.Repository;

/// <summary>What a model name may be: it appears in URLs and grain keys.</summary>
public static partial class ModelNames
{
    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= 128 } && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Pattern();
}
