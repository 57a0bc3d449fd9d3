namespace Cluster.Tests.FakeTime;

/// <summary>Holds a fake model's batches while closed; disposing releases it, so a failed test never leaves a batch held.</summary>
public sealed class FakeGate : IDisposable
{
    private readonly ManualResetEventSlim _open = new(false);

    /// <summary>Lets every held and later batch run.</summary>
    public void Release() => _open.Set();

    internal bool Wait(TimeSpan limit) => _open.Wait(limit);

    public void Dispose() => Release();
}
