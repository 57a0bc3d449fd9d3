namespace Cluster.Statistics;

/// <summary>A version's statistics merged across silos: since the stats grain started, and over the last 1, 15 and 60 minutes.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.VersionStatistics")]
public sealed record VersionStatistics(StatsDelta Total, StatsDelta LastMinute, StatsDelta Last15Minutes, StatsDelta LastHour);
