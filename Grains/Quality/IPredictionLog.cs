namespace Cluster.Quality;

/// <summary>
/// Served predictions waiting for their labels: in memory on the embedded default, a shared PostgreSQL table in cluster mode
/// (so a label may reach any silo). One per silo.
/// </summary>
public interface IPredictionLog
{
    /// <summary>Keeps a prediction; never blocks the request path (when the log is full or behind, it is dropped and counted). The first record of an id wins.</summary>
    void Offer(PredictionRecord record);

    /// <summary>
    /// For each of <paramref name="ids"/> (distinct), the unexpired, unlabelled prediction of <paramref name="model"/>, marked labelled
    /// so no later label counts twice.
    /// </summary>
    Task<IReadOnlyList<PredictionClaim>> Claim(string model, IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets predictions past their retention; returns how many went.</summary>
    Task<long> Prune(DateTimeOffset now, CancellationToken cancellationToken);
}
