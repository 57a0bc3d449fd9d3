namespace Cluster.Scaling;

/// <summary>The load expected soon, from a seasonal-naive forecast with daily seasonality.</summary>
/// <param name="Load">The highest expected load (mean of a minute) within the look-ahead.</param>
/// <param name="Days">How many previous days the forecast drew on.</param>
public sealed record LoadForecast(double Load, int Days);

/// <summary>
/// Seasonal naive with daily seasonality: the load expected in a minute is the mean of the same minute on the previous days that
/// have it (up to a week). The forecast is the highest such minute from now to the end of the look-ahead, so capacity is up before
/// the peak rather than at its mean. Holt–Winters would need weeks of history to fit its seasonal terms; a week of minutes is what is kept.
/// </summary>
public static class SeasonalForecast
{
    private const int MinutesPerDay = 1440;

    /// <summary>The forecast for [now, now + <paramref name="lookAhead"/>]; null when no previous day has load for those minutes.</summary>
    public static LoadForecast? Peak(IReadOnlyList<LoadMinute> history, DateTimeOffset now, TimeSpan lookAhead)
    {
        if (history.Count == 0) return null;
        var from = LoadHistory.Minute(now);
        var to = LoadHistory.Minute(now + lookAhead);
        double? peak = null;
        var days = 0;
        for (var minute = from; minute <= to; minute++)
        {
            double sum = 0;
            var seen = 0;
            for (var day = 1; day <= LoadHistory.Kept.Days; day++)
            {
                if (Find(history, minute - day * MinutesPerDay) is not { } load) continue;
                sum += load;
                seen++;
            }
            if (seen == 0) continue;
            days = Math.Max(days, seen);
            peak = Math.Max(peak ?? 0, sum / seen);
        }
        return peak is { } value ? new LoadForecast(value, days) : null;
    }

    /// <summary>The mean load of <paramref name="minute"/> in the history (ordered by minute), found by binary search: this runs every second.</summary>
    private static double? Find(IReadOnlyList<LoadMinute> history, long minute)
    {
        int low = 0, high = history.Count - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var at = history[middle].Minute;
            if (at == minute) return history[middle].Mean;
            if (at < minute) low = middle + 1;
            else high = middle - 1;
        }
        return null;
    }
}
