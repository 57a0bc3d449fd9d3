using Cluster.Onnx;
using Cluster.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Memory;

/// <summary>
/// One silo's memory budget for replica sessions. Loads are admitted one at a time (so a load's
/// measured footprint is its own); a load that would pass the budget first evicts the least
/// recently used unpinned versions (scaling them to zero cluster-wide, which frees their sessions
/// here before the eviction answers), and when nothing can be evicted it waits for room rather
/// than failing, up to <see cref="InferenceOptions.MemoryWaitSeconds"/>.
/// </summary>
public sealed partial class MemoryLedger
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, MemoryEntry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _admission = new(1, 1);
    private readonly TimeProvider _time;
    private readonly InferenceInstruments _instruments;
    private readonly ILogger<MemoryLedger> _logger;
    private readonly InferenceOptions _options;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;
    private long _evictions;
    private bool _onCuda;

    public MemoryLedger(IOptions<InferenceOptions> options, TimeProvider time, InferenceInstruments instruments, ILogger<MemoryLedger> logger)
    {
        _options = options.Value;
        _time = time;
        _instruments = instruments;
        _logger = logger;
        Budget = _options.MemoryBudgetBytes > 0 ? _options.MemoryBudgetBytes : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8);
        instruments.TrackMemory(() => (Budget, Used));
    }

    /// <summary>Bytes replicas may hold here.</summary>
    public long Budget { get; private set; }

    /// <summary>What the budget measures: host memory, or CUDA device memory once a session runs there.</summary>
    public string Device => _onCuda ? "cuda" : "host";

    /// <summary>Bytes the loaded and loading replicas hold.</summary>
    public long Used
    {
        get
        {
            lock (_sync) return _entries.Values.Sum(e => e.Bytes);
        }
    }

    /// <summary>
    /// Waits for this silo's turn to load, makes room for <paramref name="estimate"/> bytes and
    /// counts them; the caller then loads and must call <see cref="Complete"/> or <see cref="Abandon"/>.
    /// <paramref name="evict"/> unloads a version cluster-wide and says whether it did.
    /// </summary>
    public async Task<MemoryEntry> Admit(string key, long estimate, bool pinned, Func<string, string, Task<bool>> evict)
    {
        var (model, version, replica) = GrainKeys.Parse(key);
        if (estimate > Budget)
        {
            throw new InvalidOperationException($"Replica {key} needs about {Megabytes(estimate)} MB, more than this silo's whole memory budget ({Megabytes(Budget)} MB, Inference:MemoryBudgetBytes).");
        }
        Interlocked.Increment(ref _waiting);
        try
        {
            await _admission.WaitAsync();
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        try
        {
            await MakeRoom(key, model, version, estimate, evict);
            var entry = new MemoryEntry(key, model, version, replica, pinned, estimate, _time.GetTimestamp());
            lock (_sync) _entries[key] = entry;
            return entry;
        }
        catch
        {
            _admission.Release();
            throw;
        }
    }

    private async Task MakeRoom(string key, string model, string version, long estimate, Func<string, string, Task<bool>> evict)
    {
        var waitUntil = _time.GetTimestamp() + (long)(_options.MemoryWaitSeconds * _time.TimestampFrequency);
        var skipped = new HashSet<(string, string)>();
        while (true)
        {
            (string Model, string Version)? victim;
            Task released;
            lock (_sync)
            {
                // A replica loading again (another artifact) gives its old share back when it completes; count it as free.
                var used = _entries.Values.Where(e => e.Key != key).Sum(e => e.Bytes);
                if (used + estimate <= Budget) return;
                victim = EvictionOrder.Next(_entries.Values, model, version, skipped);
                released = _released.Task;
            }
            if (victim is { } v)
            {
                LogEvicting(_logger, v.Model, v.Version, key, Megabytes(estimate), Megabytes(Used), Megabytes(Budget));
                if (await evict(v.Model, v.Version))
                {
                    Interlocked.Increment(ref _evictions);
                    _instruments.RecordEviction(v.Model, v.Version);
                }
                // Whether or not it went, its replicas still here (busy, or on their way out) must not be picked again in this admission.
                lock (_sync)
                {
                    if (_entries.Values.Any(e => e.Model == v.Model && e.Version == v.Version)) skipped.Add(v);
                }
                continue;
            }
            var remaining = TimeSpan.FromSeconds((double)(waitUntil - _time.GetTimestamp()) / _time.TimestampFrequency);
            bool gotRoom;
            Interlocked.Increment(ref _waiting);
            try
            {
                gotRoom = remaining > TimeSpan.Zero && await Task.WhenAny(released, Task.Delay(remaining, _time)) == released;
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            if (!gotRoom)
            {
                throw new InvalidOperationException(
                    $"Replica {key} needs about {Megabytes(estimate)} MB but {Megabytes(Used)} of this silo's {Megabytes(Budget)} MB are held by pinned or busy versions; waited {_options.MemoryWaitSeconds} s for room.");
            }
            skipped.Clear();
        }
    }

    /// <summary>Records the footprint the load measured (or was declared) and lets the next load in.</summary>
    public void Complete(MemoryEntry entry, long bytes, bool measured, bool onCuda)
    {
        entry.Bytes = bytes;
        entry.Measured = measured;
        if (onCuda && !_onCuda) UseDeviceBudget();
        _admission.Release();
    }

    /// <summary>The load failed: its share goes back and the next load gets its turn.</summary>
    public void Abandon(MemoryEntry entry)
    {
        Release(entry);
        _admission.Release();
    }

    /// <summary>A replica's session is gone: its share goes back, and loads waiting for room look again.</summary>
    public void Release(MemoryEntry entry)
    {
        TaskCompletionSource released;
        lock (_sync)
        {
            if (!_entries.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry)) return;
            _entries.Remove(entry.Key);
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        released.TrySetResult();
    }

    /// <summary>This silo's figures, least recently used replicas first.</summary>
    public SiloMemory Snapshot(string silo)
    {
        var now = _time.GetTimestamp();
        lock (_sync)
        {
            return new SiloMemory(silo, Device, Budget, _entries.Values.Sum(e => e.Bytes), Interlocked.Read(ref _evictions), Volatile.Read(ref _waiting),
                [.. _entries.Values.OrderBy(e => e.LastUsed).Select(e =>
                    new MemoryUse(e.Model, e.Version, e.Replica, e.Bytes, e.Measured, e.Pinned, Math.Round((double)(now - e.LastUsed) / _time.TimestampFrequency, 1)))]);
        }
    }

    // Sessions on CUDA spend device memory, so an automatic budget follows the device once one runs there.
    private void UseDeviceBudget()
    {
        _onCuda = true;
        if (_options.MemoryBudgetBytes > 0) return;
        if (GpuMemory.TotalBytes(_options.CudaDeviceId) is { } total) Budget = (long)(total * 0.9);
        LogDeviceBudget(_logger, Megabytes(Budget));
    }

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicting model {Model} version {Version} to make room for {Replica} ({Needed} MB; {Used} of {Budget} MB in use)")]
    private static partial void LogEvicting(ILogger logger, string model, string version, string replica, long needed, long used, long budget);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sessions run on CUDA here: the memory budget is now {Budget} MB of device memory")]
    private static partial void LogDeviceBudget(ILogger logger, long budget);
}
