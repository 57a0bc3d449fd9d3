namespace Cluster.Statistics;

/// <summary>How far a shadow's values of one output were from the primary's.</summary>
/// <param name="Elements">Values compared.</param>
/// <param name="SumAbsDifference">Sum of |shadow − primary| over them.</param>
/// <param name="MaxAbsDifference">Largest |shadow − primary|.</param>
/// <param name="Rows">Rows compared by argmax (outputs with several values per row); 0 for others.</param>
/// <param name="AgreedRows">Of those, rows whose argmax was the same in both.</param>
[GenerateSerializer, Immutable, Alias("Cluster.OutputDifference")]
public sealed record OutputDifference(long Elements, double SumAbsDifference, double MaxAbsDifference, long Rows, long AgreedRows)
{
    /// <summary>Mean |shadow − primary|; 0 when nothing was compared.</summary>
    public double MeanAbsDifference => Elements == 0 ? 0 : SumAbsDifference / Elements;

    /// <summary>Share of rows whose argmax agreed; null when the output is not compared by rows.</summary>
    public double? Agreement => Rows == 0 ? null : (double)AgreedRows / Rows;
}
