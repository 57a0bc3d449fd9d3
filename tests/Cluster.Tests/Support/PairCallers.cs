using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.Support;

/// <summary>One request's fate: when it ended (since the callers started), its status, whether its output was right, and the error it carried.</summary>
public readonly record struct CallOutcome(TimeSpan At, HttpStatusCode Status, bool Correct, string Error);

/// <summary>
/// Callers that keep asking a gateway's <c>pair</c> model (a scale-by-2 model) for answers, one
/// request after the other each, recording every outcome until they are stopped.
/// </summary>
public sealed class PairCallers
{
    private readonly ConcurrentQueue<CallOutcome> _outcomes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _callers;

    private PairCallers(SiloProcess gateway, int callers)
    {
        _callers = [.. Enumerable.Range(0, callers).Select(caller => Task.Run(() => Call(gateway, caller)))];
    }

    /// <summary>Time since the callers started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>How many requests have ended so far.</summary>
    public int Count => _outcomes.Count;

    /// <summary>Starts <paramref name="callers"/> callers against <paramref name="gateway"/>.</summary>
    public static PairCallers Start(SiloProcess gateway, int callers) => new(gateway, callers);

    /// <summary>Stops the callers, lets each finish its request, and returns every outcome.</summary>
    public async Task<CallOutcome[]> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
        return [.. _outcomes];
    }

    private async Task Call(SiloProcess gateway, int caller)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var x = new[] { caller + i * 0.5f, -i };
            var (status, body) = await Post(gateway.Http, "/v2/models/pair/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], x) } });
            var correct = status == HttpStatusCode.OK && Floats(body.GetProperty("outputs")[0]).SequenceEqual(x.Select(v => v * 2));
            var error = status == HttpStatusCode.OK ? "" : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "";
            _outcomes.Enqueue(new CallOutcome(_clock.Elapsed, status, correct, error));
        }
    }
}
