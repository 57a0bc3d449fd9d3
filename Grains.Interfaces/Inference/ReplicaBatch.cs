using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Inference;

/// <summary>
/// The unit a replica runs: inputs of several requests concatenated along dimension 0,
/// with the rows each request contributed so outputs can be split back.
/// </summary>
/// <param name="Inputs">One tensor per model input, holding every request's rows.</param>
/// <param name="RowCounts">Rows of each request, in order; they sum to dimension 0 of every input.</param>
/// <param name="Outputs">Outputs to compute; empty means all.</param>
[GenerateSerializer, Immutable, Alias("Cluster.ReplicaBatch")]
public sealed record ReplicaBatch(ImmutableArray<TensorData> Inputs, ImmutableArray<int> RowCounts, ImmutableArray<string> Outputs)
{
    /// <summary>Rows of the whole batch: summed in a loop, since LINQ's Sum boxes an immutable array's enumerator on every batch.</summary>
    public int Rows
    {
        get
        {
            var rows = 0;
            foreach (var count in RowCounts) rows += count;
            return rows;
        }
    }
}
