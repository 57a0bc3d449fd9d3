namespace Cluster.Scaling;

/// <summary>What an autoscaler keeps across activations: its version's load per minute, for the forecasts of predictive scaling.</summary>
[GenerateSerializer, Alias("Cluster.LoadHistoryState")]
public sealed class LoadHistoryState
{
    /// <summary>Minutes oldest first, at most one each, covering at most <see cref="LoadHistory.Kept"/>.</summary>
    [Id(0)] public List<LoadMinute> Minutes { get; set; } = [];
}
