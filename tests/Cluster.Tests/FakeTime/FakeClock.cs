using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// The silos' clock in fake-time tests. Grain timers, grain delays and deadlines follow it; Orleans'
/// own background loops stay on real time (<see cref="FakeTimeSiloExtensions.UseFakeTime"/>).
/// Advancing runs due timer callbacks inline, so it runs off the test's thread with a hang guard.
/// </summary>
public sealed class FakeClock
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>The provider the silos resolve as their <see cref="TimeProvider"/>.</summary>
    public FakeTimeProvider Provider { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The fake now.</summary>
    public DateTimeOffset Now => Provider.GetUtcNow();

    /// <summary>Moves the clock on by <paramref name="by"/>, firing what falls due on the way.</summary>
    public async Task Advance(TimeSpan by)
    {
        try
        {
            await Task.Run(() => Provider.Advance(by)).WaitAsync(HangGuard);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Advancing the fake clock by {by} did not return within {HangGuard}: a timer callback is spinning on the fake clock.", ex);
        }
    }

    /// <summary>
    /// Moves the clock on <paramref name="step"/> at a time until <paramref name="condition"/> holds,
    /// giving the grains a moment to act on each step; fails once <paramref name="limit"/> of fake time
    /// passed without it. Answers the fake time it took.
    /// </summary>
    public async Task<TimeSpan> AdvanceUntil(Func<Task<bool>> condition, TimeSpan step, TimeSpan limit, string what)
    {
        var advanced = TimeSpan.Zero;
        while (!await condition())
        {
            // The whole allowance of fake time has passed: what is due has fired, and the grains get the real time a loaded
            // machine needs to act on it before the condition is called false (each step waited only a moment).
            if (advanced >= limit)
            {
                if (await Eventually.Holds(condition, HangGuard)) break;
                throw new TimeoutException($"{what} did not happen within {limit} of fake time.");
            }
            await Advance(step);
            advanced += step;
            if (await Eventually.Holds(condition, Eventually.Settle)) break;
        }
        return advanced;
    }
}
