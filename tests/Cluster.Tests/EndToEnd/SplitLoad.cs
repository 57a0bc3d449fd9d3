using System.Net;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>Sends requests that name no version (so the traffic split routes them) from two callers until disposed.</summary>
public sealed class SplitLoad : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _callers;
    private int _requests;
    private int _failures;

    public SplitLoad(HttpClient http, string model, float x)
    {
        _callers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var (status, _) = await Post(http, $"/v2/models/{model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { x, x }) } });
                Interlocked.Increment(ref _requests);
                if (status != HttpStatusCode.OK) Interlocked.Increment(ref _failures);
                await Task.Delay(5);
            }
        }))];
    }

    public int Requests => _requests;

    public int Failures => _failures;

    public void Dispose()
    {
        _stop.Cancel();
        Task.WaitAll(_callers);
        _stop.Dispose();
    }
}
