using System.Collections.Immutable;
using Cluster.Inference;

namespace Cluster.Silo.Inference;

/// <summary>A parsed request plus how the caller wants outputs back (binary tensor data extension).</summary>
/// <param name="Request">What goes to the router.</param>
/// <param name="AllOutputsBinary">Request parameter <c>binary_data_output</c>: every output as binary.</param>
/// <param name="BinaryOutputs">Outputs whose <c>parameters.binary_data</c> is true.</param>
internal sealed record ParsedInferenceRequest(InferenceRequest Request, bool AllOutputsBinary, ImmutableHashSet<string> BinaryOutputs)
{
    public bool IsBinary(string output) => AllOutputsBinary || BinaryOutputs.Contains(output);

    public bool AnyBinary => AllOutputsBinary || !BinaryOutputs.IsEmpty;
}
