using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Cluster.Quality;

/// <summary>
/// The embedded default's prediction log: a dictionary in the silo's memory, bounded by <see cref="QualityOptions.MaxRecordsInMemory"/>.
/// A label must reach the silo that served its request, which the single-process default always is.
/// </summary>
public sealed class InMemoryPredictionLog(IOptions<QualityOptions> options, QualityInstruments instruments) : IPredictionLog
{
    private readonly ConcurrentDictionary<(string Model, string Id), Entry> _entries = new();
    private readonly int _capacity = options.Value.MaxRecordsInMemory;
    private int _count;

    /// <summary>Predictions held now.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Offer(PredictionRecord record)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            instruments.CountDropped(record.Model, 1);
            return;
        }
        if (!_entries.TryAdd((record.Model, record.Id), new Entry(record))) Interlocked.Decrement(ref _count);
    }

    public Task<IReadOnlyList<PredictionClaim>> Claim(string model, IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claims = new PredictionClaim[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (!_entries.TryGetValue((model, id), out var entry) || entry.Record.ExpiresAt <= now) claims[i] = new PredictionClaim(id, null, false);
            else if (Interlocked.Exchange(ref entry.Labelled, 1) == 0) claims[i] = new PredictionClaim(id, entry.Record, false);
            else claims[i] = new PredictionClaim(id, null, true);
        }
        return Task.FromResult<IReadOnlyList<PredictionClaim>>(claims);
    }

    public Task<long> Prune(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pruned = 0L;
        foreach (var (key, entry) in _entries)
        {
            if (entry.Record.ExpiresAt > now || !_entries.TryRemove(key, out _)) continue;
            Interlocked.Decrement(ref _count);
            pruned++;
        }
        return Task.FromResult(pruned);
    }

    private sealed class Entry(PredictionRecord record)
    {
        public PredictionRecord Record { get; } = record;

        // 1 once a label claimed it; a field, for Interlocked.
        public int Labelled;
    }
}
