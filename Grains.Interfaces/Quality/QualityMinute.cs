namespace Cluster.Quality;

/// <summary>The sums of the labels that arrived in one calendar minute, as the status page's history charts draw them.</summary>
/// <param name="Minute">Start of the minute (UTC) in which the labels arrived, not when the predictions were made.</param>
/// <param name="Summary">The sums of those labelled predictions.</param>
[GenerateSerializer, Immutable, Alias("Cluster.QualityMinute")]
public sealed record QualityMinute(DateTimeOffset Minute, QualitySummary Summary);
