namespace Cluster.Capture;

/// <summary>Where captured predictions go: PostgreSQL in cluster mode, JSON-lines files on the embedded default.</summary>
public interface ICaptureStore
{
    /// <summary>Stores a batch of records. One writer per silo calls this, from a thread of its own: a store may block it.</summary>
    Task Append(IReadOnlyList<CaptureRecord> records, CancellationToken cancellationToken);

    /// <summary>The JSON lines of <paramref name="model"/>'s records that <paramref name="query"/> selects, oldest first.</summary>
    IAsyncEnumerable<string> Read(string model, CaptureQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes records past their retention on <paramref name="today"/> (UTC); returns how many went, where known.</summary>
    Task<long> Prune(DateOnly today, CancellationToken cancellationToken);
}
