namespace Cluster.Quality;

/// <summary>What the prediction log found for one label's id: the prediction it now belongs to, or why there is none.</summary>
/// <param name="Id">The request id.</param>
/// <param name="Record">The prediction, claimed for this label; null when unknown, expired or already labelled.</param>
/// <param name="AlreadyLabelled">True when the prediction exists but an earlier label claimed it.</param>
public readonly record struct PredictionClaim(string Id, PredictionRecord? Record, bool AlreadyLabelled);
