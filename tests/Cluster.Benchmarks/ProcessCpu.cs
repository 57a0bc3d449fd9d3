using System.Globalization;
using System.Runtime.CompilerServices;

namespace Cluster.Benchmarks;

/// <summary>
/// CPU time a process has used (user + kernel), read from Linux's /proc/{pid}/stat. Throughput on a
/// shared machine drifts with the neighbours; CPU time per request drifts far less, so the split-core
/// run reports both.
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ is 100 on every Linux this runs on; /proc/{pid}/stat counts in it.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid) => TimeOf(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>
    /// CPU time the process's threads named <paramref name="name"/> have used (their kernel name, as <c>top -H</c> shows it); threads
    /// that ended since are not counted.
    /// </summary>
    public static TimeSpan OfThreads(int pid, string name)
    {
        var total = TimeSpan.Zero;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // The thread ended between the listing and the read.
            }
            if (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] == name) total += TimeOf(stat);
        }
        return total;
    }

    private static TimeSpan TimeOf(string stat)
    {
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name and state.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Counts the calls <paramref name="call"/> completes, so CPU time can be divided by them.</summary>
    public static Func<int, Task> Counted(Func<int, Task> call, StrongBox<long> count) => async i =>
    {
        await call(i);
        Interlocked.Increment(ref count.Value);
    };
}
