namespace Cluster.Batching;

/// <summary>Counters of one batch worker since activation, reported in its stats.</summary>
internal sealed class BatchingCounters
{
    public long Requests { get; set; }
    public long Batches { get; set; }
    public long RowsComputed { get; set; }
    public long Rejected { get; set; }
    public long Expired { get; set; }
    public long Cancelled { get; set; }
    public long Failed { get; set; }
    public long Retried { get; set; }
}
