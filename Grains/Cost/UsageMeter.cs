using System.Collections.Immutable;
using System.Runtime.InteropServices;

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
    // Sums are added to where they lie: a batch finishes on every replica turn, and a figures record per batch was garbage at the request rate.
    private readonly Dictionary<(string Model, string Version, long Minute, string Device), Sums> _pending = [];
    private readonly Dictionary<(string Model, string Version, string Device), Sums> _totals = [];
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
            Add(live.Model, live.Version, minute, live.Device, new Sums { BusySeconds = busy.TotalSeconds, Requests = requests, Rows = rows, Batches = 1 });
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
                .Select(g => (g.Key.Model, g.Key.Version, g.OrderBy(p => p.Key.Minute).Select(p => new UsageBucket(p.Key.Minute, silo, p.Key.Device, p.Value.ToFigures(), p.Key.Device == DeviceClass.Cuda ? _gpu : null)).ToImmutableArray()))
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
                CollectionsMarshal.GetValueRefOrAddDefault(_pending, (model, version, bucket.Minute, bucket.Device), out _).Add(Sums.Of(bucket.Figures));
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
            return [.. _totals.Select(t => (t.Key.Model, t.Key.Version, t.Key.Device, t.Value.ToFigures()))];
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
            Add(live.Model, live.Version, minute, live.Device, new Sums { ReplicaSeconds = seconds, MemoryByteSeconds = seconds * bytes });
            from = to;
        }
        live.AccountedUntil = until > live.AccountedUntil ? until : live.AccountedUntil;
    }

    private void Add(string model, string version, long minute, string device, in Sums figures)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_pending, (model, version, minute, device), out _).Add(figures);
        CollectionsMarshal.GetValueRefOrAddDefault(_totals, (model, version, device), out _).Add(figures);
    }

    // UsageFigures' fields, added to in place.
    private struct Sums
    {
        public double ReplicaSeconds;
        public double BusySeconds;
        public long Requests;
        public long Rows;
        public long Batches;
        public double MemoryByteSeconds;

        public static Sums Of(UsageFigures figures) => new()
        {
            ReplicaSeconds = figures.ReplicaSeconds,
            BusySeconds = figures.BusySeconds,
            Requests = figures.Requests,
            Rows = figures.Rows,
            Batches = figures.Batches,
            MemoryByteSeconds = figures.MemoryByteSeconds,
        };

        public void Add(in Sums other)
        {
            ReplicaSeconds += other.ReplicaSeconds;
            BusySeconds += other.BusySeconds;
            Requests += other.Requests;
            Rows += other.Rows;
            Batches += other.Batches;
            MemoryByteSeconds += other.MemoryByteSeconds;
        }

        public readonly UsageFigures ToFigures() => new(ReplicaSeconds, BusySeconds, Requests, Rows, Batches, MemoryByteSeconds);
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
