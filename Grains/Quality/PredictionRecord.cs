namespace Cluster.Quality;

/// <summary>
/// The compact trace a served prediction leaves for the ground-truth join: never the tensors, only what a label is compared with.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Id">Request id (<c>id#row</c> for row i of a request of several rows).</param>
/// <param name="Version">The version that answered.</param>
/// <param name="Segment">The value of the request's segment parameter, if it had one.</param>
/// <param name="PredictedClass">Classification: the argmax; -1 for regression.</param>
/// <param name="Confidence">Classification: the top probability, or NaN when the output was not probabilities.</param>
/// <param name="PredictedValue">Regression: the predicted value.</param>
/// <param name="ServedAt">When the answer left the router.</param>
/// <param name="ExpiresAt">When the record stops waiting for its label.</param>
public sealed record PredictionRecord(string Model, string Id, string Version, string? Segment, int PredictedClass, float Confidence,
    double PredictedValue, DateTimeOffset ServedAt, DateTimeOffset ExpiresAt);
