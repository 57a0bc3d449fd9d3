namespace Cluster.Quality;

/// <summary>One arm's (version's) quality over a period: how many of its predictions were labelled and how right they were.</summary>
/// <param name="Labelled">Labelled predictions.</param>
/// <param name="Accuracy">Classification: correct / labelled; null for regression or with nothing labelled.</param>
/// <param name="Mae">Regression: mean absolute error; null for classification or with nothing labelled.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ArmQuality")]
public sealed record ArmQuality(long Labelled, double? Accuracy, double? Mae);
