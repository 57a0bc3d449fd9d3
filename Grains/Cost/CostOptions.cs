using System.ComponentModel.DataAnnotations;

namespace Cluster.Cost;

/// <summary>Prices and right-sizing thresholds (configuration section <c>Cost</c>); prices are currency-free numbers.</summary>
public sealed class CostOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cost";

    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>Price of one replica loaded for an hour, by device class (<c>cpu</c>, <c>cuda</c>); a class not listed costs 0.</summary>
    public Dictionary<string, double> PricePerReplicaHour { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Price of one GiB of replica memory held for an hour; 0 leaves memory out of the cost.</summary>
    [Range(0, double.MaxValue)]
    public double PricePerGiBHour { get; set; }

    /// <summary>Utilization (busy over loaded time) below which a version is advised to shrink.</summary>
    [Range(0, 1)]
    public double UtilizationFloor { get; set; } = 0.2;

    /// <summary>Utilization the replica counts in advice aim for.</summary>
    [Range(0.01, 1)]
    public double TargetUtilization { get; set; } = 0.6;

    /// <summary>Share of the latency target under which p95 latency leaves room for larger batches.</summary>
    [Range(0.01, 1)]
    public double LatencyHeadroom { get; set; } = 0.5;

    /// <summary>Loaded seconds per replica a version needs in a window before it gets advice: a version loaded a moment ago has not shown its load yet.</summary>
    [Range(0, 604_800)]
    public double MinObservedSeconds { get; set; } = 600;

    /// <summary>Requests in the last hour below which queue and latency figures are too few to advise on.</summary>
    [Range(1, int.MaxValue)]
    public int MinRequestsToJudge { get; set; } = 20;

    /// <summary>How often each inference silo sends its replicas' usage to the versions' usage grains.</summary>
    [Range(1, 3600)]
    public int ReportEverySeconds { get; set; } = 15;

    /// <summary>Price of a replica-hour on <paramref name="device"/>.</summary>
    public double PriceOf(string device) => PricePerReplicaHour.TryGetValue(device, out var price) ? price : 0;

    /// <summary>Estimated cost of what a silo's replicas on <paramref name="device"/> used.</summary>
    public double CostOf(string device, UsageFigures figures) =>
        figures.ReplicaSeconds / 3600 * PriceOf(device) + figures.MemoryByteSeconds / GiB / 3600 * PricePerGiBHour;
}
