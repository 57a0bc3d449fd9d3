using System.Diagnostics;

namespace Cluster.Tests.Support;

/// <summary>
/// Waits for a condition that another process (or a server on loopback) brings about. Real time
/// only because a process boundary forces it; in-process tests use a fake clock instead.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(90);

    /// <summary>Reads until <paramref name="done"/> holds for what was read and returns it; past <paramref name="limit"/> (90 s) fails with the last reading, and the silo's output when one is given.</summary>
    public static async Task<T> For<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? limit = null, SiloProcess? silo = null)
    {
        var clock = Stopwatch.StartNew();
        var within = limit ?? DefaultLimit;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (clock.Elapsed > within) throw new TimeoutException($"Not there within {within.TotalSeconds:F0} s; last reading: {value}{(silo is null ? "" : $"\n{silo.Output}")}");
            await Task.Delay(50);
        }
    }

    /// <summary>Checks <paramref name="condition"/> until it holds; past <paramref name="limit"/> (90 s) fails with the silo's output when one is given.</summary>
    public static async Task Until(Func<Task<bool>> condition, SiloProcess? silo = null, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        var within = limit ?? DefaultLimit;
        while (!await condition())
        {
            if (clock.Elapsed > within) throw new TimeoutException($"The condition did not hold within {within.TotalSeconds:F0} s.{(silo is null ? "" : $"\n{silo.Output}")}");
            await Task.Delay(50);
        }
    }
}
