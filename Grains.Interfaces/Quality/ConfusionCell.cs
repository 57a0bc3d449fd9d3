namespace Cluster.Quality;

/// <summary>One cell of a confusion matrix: how many labelled predictions of class <paramref name="Predicted"/> were truly <paramref name="Actual"/>.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.ConfusionCell")]
public sealed record ConfusionCell(int Actual, int Predicted, long Count);
