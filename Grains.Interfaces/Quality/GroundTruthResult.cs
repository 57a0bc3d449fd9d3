namespace Cluster.Quality;

/// <summary>What became of a batch of ground-truth labels.</summary>
/// <param name="Received">Labels in the batch.</param>
/// <param name="Matched">Labels joined to a served prediction; they count in the quality statistics.</param>
/// <param name="Unknown">Labels whose id names no prediction kept (never served, served without a quality config, or past retention).</param>
/// <param name="Duplicates">Labels for a prediction that already had one (in this batch or an earlier one); the first label counts.</param>
[GenerateSerializer, Immutable, Alias("Cluster.GroundTruthResult")]
public sealed record GroundTruthResult(int Received, int Matched, int Unknown, int Duplicates);
