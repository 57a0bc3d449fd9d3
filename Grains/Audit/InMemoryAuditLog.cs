using System.Collections.Immutable;

namespace Cluster.Audit;

/// <summary>The embedded default's audit log: the last 10,000 records of this process (cluster mode keeps them in PostgreSQL).</summary>
public sealed class InMemoryAuditLog(TimeProvider time) : IAuditLog
{
    private const int Kept = 10_000;
    private readonly LinkedList<AuditRecord> _records = new();
    private long _next;

    public Task Append(string action, string? model, string? before, string? after, string? actor = null)
    {
        lock (_records)
        {
            _records.AddFirst(new AuditRecord(++_next, time.GetUtcNow(), actor ?? AuditActor.Current, action, model, before, after));
            if (_records.Count > Kept) _records.RemoveLast();
        }
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<AuditRecord>> Read(int limit, string? model)
    {
        lock (_records)
        {
            return Task.FromResult(_records.Where(r => model is null || r.Model == model).Take(limit).ToImmutableArray());
        }
    }
}
