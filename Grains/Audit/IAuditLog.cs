using System.Collections.Immutable;

namespace Cluster.Audit;

/// <summary>Append-only record of administrative changes: a PostgreSQL table in cluster mode, memory in the embedded default.</summary>
public interface IAuditLog
{
    /// <summary>Appends a record for the current <see cref="AuditActor"/> (or <paramref name="actor"/>).</summary>
    Task Append(string action, string? model, string? before, string? after, string? actor = null);

    /// <summary>The newest records first, at most <paramref name="limit"/>, optionally of one model.</summary>
    Task<ImmutableArray<AuditRecord>> Read(int limit, string? model);
}
