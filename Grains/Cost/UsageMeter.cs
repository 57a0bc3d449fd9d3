using System.Collections.Immutable;

namespace Cluster.Cost;

/// <summary>
/// One silo's replica usage, accrued per calendar minute until <see cref="UsageReporter"/> takes it:
/// a replica's loaded time is split exactly at minute boundaries (so a window's replica-seconds are
/// exact, however often usage is taken), a batch's compute time counts in the minute it finished.
/// Replicas call it from their own turns on several threads, hence the lock; it also keeps totals
/// since the silo started, which <see cref="CostInstruments"/> publishes.
/// </summary>
public sealed class UsageMeter(TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, LiveReplica> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Model, string Version, long Minute, string Device), UsageFigures> _pending = [];
    private readonly Dictionary<(string Model, string Version, string Device), UsageFigures> _totals = [];
    // One silo drives one CUDA device (Inference:CudaDeviceId), so its name goes with every cuda bucket.
    private string? _gpu;

    /// <summary>
    /// A replica's session loaded on <paramref name="device"/> (on CUDA, the device named <paramref name="gpu"/>);
    /// <paramref name="bytes"/> reads the memory it holds now.
    /// </summary>
    public void Loaded(string replica, string model, string version, string device, Func<long> bytes, string? gpu = null)
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (gpu is not null) _gpu = gpu;
            // A reload under the same key ends the old session's time where the new one's begins.
            if (_replicas.TryGetValue(replica, out var old)) Accrue(old, now);
            _replicas[replica] = new LiveReplica(model, version, device, bytes) { AccountedUntil = now };
        }
    }

    /// <summary>A replica's session was freed: its loaded time ends now.</summary>
    public void Unloaded(string replica)
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (!_replicas.Remove(replica, out var live)) return;
            Accrue(live, now);
        }
    }

    /// <summary>A replica finished a batch of <paramref name="requests"/> requests and <paramref name="rows"/> rows that computed for <paramref name="busy"/>.</summary>
    public void RecordBatch(string replica, int requests, long rows, TimeSpan busy)
    {
        var minute = Minute(time.GetUtcNow());
        lock (_sync)
        {
            if (!_replicas.TryGetValue(replica, out var live)) return;
            Add(live.Model, live.Version, minute, live.Device, new UsageFigures(0, busy.TotalSeconds, requests, rows, 1, 0));
        }
    }

    /// <summary>Everything used since the last call, per version, with the loaded replicas' time accrued up to now; starts over.</summary>
    public IReadOnlyList<(string Model, string Version, ImmutableArray<UsageBucket> Buckets)> Take(string silo)
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            foreach (var live in _replicas.Values) Accrue(live, now);
            var taken = _pending
                .GroupBy(p => (p.Key.Model, p.Key.Version))
                .Select(g => (g.Key.Model, g.Key.Version, g.OrderBy(p => p.Key.Minute).Select(p => new UsageBucket(p.Key.Minute, silo, p.Key.Device, p.Value, p.Key.Device == DeviceClass.Cuda ? _gpu : null)).ToImmutableArray()))
                .ToList();
            _pending.Clear();
            return taken;
        }
    }

    /// <summary>Puts back buckets a push could not deliver, so they go with the next one.</summary>
    public void Restore(string model, string version, ImmutableArray<UsageBucket> buckets)
    {
        lock (_sync)
        {
            foreach (var bucket in buckets)
            {
                var key = (model, version, bucket.Minute, bucket.Device);
                _pending[key] = _pending.TryGetValue(key, out var figures) ? figures.Add(bucket.Figures) : bucket.Figures;
            }
        }
    }

    /// <summary>Sums since the silo started, per version and device class, loaded replicas accrued up to now.</summary>
    public IReadOnlyList<(string Model, string Version, string Device, UsageFigures Figures)> Totals()
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            foreach (var live in _replicas.Values) Accrue(live, now);
            return [.. _totals.Select(t => (t.Key.Model, t.Key.Version, t.Key.Device, t.Value))];
        }
    }

    /// <summary>Minutes since the Unix epoch that <paramref name="at"/> falls in.</summary>
    public static long Minute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private void Accrue(LiveReplica live, DateTimeOffset until)
    {
        var bytes = live.Bytes();
        var from = live.AccountedUntil;
        while (from < until)
        {
            var minute = Minute(from);
            var minuteEnd = DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
            var to = minuteEnd < until ? minuteEnd : until;
            var seconds = (to - from).TotalSeconds;
            Add(live.Model, live.Version, minute, live.Device, new UsageFigures(seconds, 0, 0, 0, 0, seconds * bytes));
            from = to;
        }
        live.AccountedUntil = until > live.AccountedUntil ? until : live.AccountedUntil;
    }

    private void Add(string model, string version, long minute, string device, UsageFigures figures)
    {
        var key = (model, version, minute, device);
        _pending[key] = _pending.TryGetValue(key, out var pending) ? pending.Add(figures) : figures;
        var total = (model, version, device);
        _totals[total] = _totals.TryGetValue(total, out var sum) ? sum.Add(figures) : figures;
    }

    private sealed class LiveReplica(string model, string version, string device, Func<long> bytes)
    {
        public string Model { get; } = model;
        public string Version { get; } = version;
        public string Device { get; } = device;
        public Func<long> Bytes { get; } = bytes;
        public DateTimeOffset AccountedUntil { get; set; }
    }
}
