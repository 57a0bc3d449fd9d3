namespace Cluster.Memory;

/// <summary>A loaded (or loading) replica's share of its silo's memory budget.</summary>
public sealed class MemoryEntry(string key, string model, string version, int replica, bool pinned, long bytes, long now)
{
    private long _lastUsed = now;

    public string Key { get; } = key;
    public string Model { get; } = model;
    public string Version { get; } = version;
    public int Replica { get; } = replica;
    public bool Pinned { get; } = pinned;
    public long Bytes { get; set; } = bytes;
    public bool Measured { get; set; }

    /// <summary>Timestamp (TimeProvider ticks) of the latest batch or load; written by the replica's turns, read by evictions on others.</summary>
    public long LastUsed => Volatile.Read(ref _lastUsed);

    public void Touch(long now) => Volatile.Write(ref _lastUsed, now);
}
