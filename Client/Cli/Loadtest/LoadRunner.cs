using System.Diagnostics;

namespace Cluster.Cli.Loadtest;

/// <summary>
/// Drives one level for a fixed time: closed loop (N callers, each sending as soon as its previous
/// answer came) or open loop (requests started on a fixed schedule whatever the answers, as
/// perf_analyzer's --request-rate-range, so a slow server builds a queue instead of slowing the client).
/// </summary>
internal static class LoadRunner
{
    public static async Task<(LatencyRecorder Recorder, double Seconds)> RunAsync(
        IInferenceSender sender, LoadLevel level, TimeSpan duration, Action<double, LatencyRecorder> progress, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var load = level.OpenLoop
            ? OpenLoopAsync(sender, level.Value, started, stopAt, recorder, cancellationToken)
            : Task.WhenAll(Enumerable.Range(0, (int)level.Value).Select(_ => ClosedLoopAsync(sender, stopAt, recorder, cancellationToken)));
        while (!load.IsCompleted)
        {
            progress(Math.Min(1, Stopwatch.GetElapsedTime(started).TotalSeconds / duration.TotalSeconds), recorder);
            await Task.WhenAny(load, Task.Delay(200, cancellationToken));
        }
        await load;
        progress(1, recorder);
        return (recorder, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task ClosedLoopAsync(IInferenceSender sender, long stopAt, LatencyRecorder recorder, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
        {
            await SendOneAsync(sender, recorder, cancellationToken);
        }
    }

    private static async Task OpenLoopAsync(IInferenceSender sender, double rate, long started, long stopAt, LatencyRecorder recorder, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        for (long i = 0; ; i++)
        {
            var due = started + (long)(i * Stopwatch.Frequency / rate);
            if (due >= stopAt || cancellationToken.IsCancellationRequested) break;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            inFlight.Add(SendOneAsync(sender, recorder, cancellationToken));
        }
        await Task.WhenAll(inFlight);
    }

    private static async Task SendOneAsync(IInferenceSender sender, LatencyRecorder recorder, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await sender.SendAsync(cancellationToken);
            recorder.Success(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Failure(ex.Message);
        }
    }
}
