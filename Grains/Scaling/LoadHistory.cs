namespace Cluster.Scaling;

/// <summary>Adding load samples to the per-minute history and forgetting what is older than a week.</summary>
public static class LoadHistory
{
    /// <summary>How long load is kept: a week of days to forecast from.</summary>
    public static TimeSpan Kept { get; } = TimeSpan.FromDays(7);

    /// <summary>Minutes since the Unix epoch that <paramref name="at"/> falls in.</summary>
    public static long Minute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    /// <summary>Adds one sample taken at <paramref name="now"/>; answers true when it opened a new minute (the previous one is complete).</summary>
    public static bool Record(List<LoadMinute> minutes, DateTimeOffset now, double load)
    {
        var minute = Minute(now);
        if (minutes.Count > 0 && minutes[^1].Minute == minute)
        {
            minutes[^1] = new LoadMinute(minute, minutes[^1].Sum + load, minutes[^1].Samples + 1);
            return false;
        }
        minutes.Add(new LoadMinute(minute, load, 1));
        var oldest = Minute(now - Kept);
        var stale = 0;
        while (stale < minutes.Count && minutes[stale].Minute < oldest) stale++;
        if (stale > 0) minutes.RemoveRange(0, stale);
        return true;
    }
}
