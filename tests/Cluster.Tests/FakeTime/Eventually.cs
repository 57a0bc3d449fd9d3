namespace Cluster.Tests.FakeTime;

/// <summary>
/// Waits for grains to act on something the test did (a call sent, the clock moved). The condition,
/// never the waiting, decides the outcome: a slow machine only waits longer, up to a hang guard.
/// </summary>
public static class Eventually
{
    /// <summary>How long a fake-clock step waits for the grains before moving the clock again.</summary>
    internal static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);

    /// <summary>Completes once <paramref name="condition"/> holds; fails with <paramref name="what"/> past the hang guard.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        if (!await Holds(condition, HangGuard)) throw new TimeoutException($"{what} did not happen within {HangGuard.TotalSeconds} s.");
    }

    /// <summary>Whether <paramref name="condition"/> comes to hold within <paramref name="within"/>.</summary>
    internal static async Task<bool> Holds(Func<Task<bool>> condition, TimeSpan within)
    {
        var until = TimeProvider.System.GetTimestamp() + (long)(within.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > until) return false;
            await Task.Delay(PollEvery);
        }
        return true;
    }
}
