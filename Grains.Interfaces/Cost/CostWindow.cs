using Cluster.Errors;

namespace Cluster.Cost;

/// <summary>The windows cost and usage are reported over: <c>1h</c>, <c>24h</c> and <c>7d</c>, the longest being what is kept.</summary>
public static class CostWindow
{
    /// <summary>The window when a caller names none.</summary>
    public const string Default = "24h";

    /// <summary>How long usage is kept: the longest window.</summary>
    public static TimeSpan Kept { get; } = TimeSpan.FromDays(7);

    /// <summary>The span of a window name.</summary>
    /// <exception cref="InvalidInferenceRequestException">An unknown name.</exception>
    public static TimeSpan Parse(string window) => window switch
    {
        "1h" => TimeSpan.FromHours(1),
        "24h" => TimeSpan.FromHours(24),
        "7d" => TimeSpan.FromDays(7),
        _ => throw new InvalidInferenceRequestException($"Unknown window '{window}'; use 1h, 24h or 7d."),
    };
}
