using Cluster.Scaling;

namespace Cluster.Grains;

/// <summary>
/// Decides the replica count of one version from the load its batch workers report, and brings
/// a scaled-to-zero (or evicted) version back when a request arrives; key: <c>model/version</c>.
/// </summary>
[Alias("Cluster.IAutoscalerGrain")]
public interface IAutoscalerGrain : IGrainWithStringKey
{
    /// <summary>A batch worker's load over its last interval.</summary>
    [Alias("Report")] Task Report(string silo, LoadReport report);

    /// <summary>
    /// Called by a batch worker holding requests while the version has no replica: loads the
    /// cold-start replicas (once, however many workers ask) and answers the count.
    /// </summary>
    [Alias("Demand")] Task<int> Demand();

    /// <summary>Replicas, load, recent decisions and cold starts.</summary>
    [Alias("GetStatus"), AlwaysInterleave] Task<AutoscalerStatus> GetStatus();
}
