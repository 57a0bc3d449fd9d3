namespace Cluster.Scaling;

/// <summary>What one silo's batch worker of a version saw over its last report interval.</summary>
/// <param name="AverageOngoing">Time-weighted mean of requests queued or running.</param>
/// <param name="Queued">Requests queued when the report was taken.</param>
/// <param name="InFlightBatches">Batches running on replicas when the report was taken.</param>
/// <param name="Requests">Requests the worker has taken since it activated.</param>
[GenerateSerializer, Immutable, Alias("Cluster.LoadReport")]
public sealed record LoadReport(double AverageOngoing, int Queued, int InFlightBatches, long Requests);
