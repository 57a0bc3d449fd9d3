using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cluster.Benchmarks;

/// <summary>Drives a call with closed-loop concurrency or an open-loop arrival rate, for a fixed time.</summary>
internal static class LoadRunner
{
    /// <summary>N callers, each sending its next request when the previous one returns.</summary>
    public static async Task<LoadResult> ClosedLoop(string target, string mode, int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task> call)
    {
        await RunFor(concurrency, warmup, call, null);
        var latencies = new ConcurrentBag<double[]>();
        var (completed, failed, seconds) = await RunFor(concurrency, duration, call, latencies);
        return new LoadResult(target, mode, concurrency, completed, failed, seconds, Sorted(latencies.SelectMany(l => l)));
    }

    /// <summary>N dedicated threads calling a synchronous function (raw ONNX Runtime), so blocking calls never starve the thread pool the silo runs on.</summary>
    public static LoadResult ClosedLoopThreads(string target, string mode, int concurrency, TimeSpan warmup, TimeSpan duration, Action<int> call)
    {
        RunThreadsFor(concurrency, warmup, call, null);
        var latencies = new ConcurrentBag<double[]>();
        var (completed, seconds) = RunThreadsFor(concurrency, duration, call, latencies);
        return new LoadResult(target, mode, concurrency, completed, 0, seconds, Sorted(latencies.SelectMany(l => l)));
    }

    private static (long Completed, double Seconds) RunThreadsFor(int concurrency, TimeSpan duration, Action<int> call, ConcurrentBag<double[]>? latencies)
    {
        long completed = 0;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, concurrency).Select(worker => new Thread(() =>
        {
            var mine = new List<double>();
            for (var i = worker; clock.Elapsed < duration; i += concurrency)
            {
                var start = Stopwatch.GetTimestamp();
                call(i);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref completed);
            }
            latencies?.Add([.. mine]);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (completed, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Requests started at a fixed rate whatever the answers do; latency counts from the scheduled start.</summary>
    public static async Task<LoadResult> OpenLoop(string target, string mode, double perSecond, TimeSpan duration, Func<int, Task> call)
    {
        var latencies = new ConcurrentQueue<double>();
        long failed = 0;
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (int)(perSecond * duration.TotalSeconds);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var scheduled = due;
            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    await call(index);
                    latencies.Enqueue((clock.Elapsed - scheduled).TotalMilliseconds);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
            }));
        }
        await Task.WhenAll(inFlight);
        return new LoadResult(target, mode, 0, latencies.Count, failed, duration.TotalSeconds, Sorted(latencies));
    }

    private static async Task<(long Completed, long Failed, double Seconds)> RunFor(int concurrency, TimeSpan duration, Func<int, Task> call, ConcurrentBag<double[]>? latencies)
    {
        long completed = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = new List<double>();
            var i = worker;
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await call(i);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
                i += concurrency;
            }
            latencies?.Add([.. mine]);
        })).ToArray();
        await Task.WhenAll(workers);
        return (completed, failed, clock.Elapsed.TotalSeconds);
    }

    private static double[] Sorted(IEnumerable<double> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}
