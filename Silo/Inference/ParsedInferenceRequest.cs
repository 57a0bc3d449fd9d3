using System.Collections.Immutable;
using Cluster.Inference;

namespace Cluster.Silo.Inference;

/// <summary>A parsed request plus how the caller wants outputs back (binary tensor data extension).</summary>
/// <param name="Request">What goes to the router.</param>
/// <param name="AllOutputsBinary">Request parameter <c>binary_data_output</c>: the form of every output that does not say its own.</param>
/// <param name="OutputBinary">
/// Requested outputs that set <c>parameters.binary_data</c>, with its value. An output's own setting
/// wins over <paramref name="AllOutputsBinary"/> either way, as the extension says; an output that
/// does not set it is absent here, which is not the same as false.
/// </param>
internal sealed record ParsedInferenceRequest(InferenceRequest Request, bool AllOutputsBinary, ImmutableDictionary<string, bool> OutputBinary)
{
    /// <summary>Whether <paramref name="output"/> goes back as binary data rather than JSON.</summary>
    public bool IsBinary(string output) =>
        OutputBinary.IsEmpty || !OutputBinary.TryGetValue(output, out var binary) ? AllOutputsBinary : binary;

    /// <summary>
    /// Whether any output of <paramref name="response"/> goes back binary: only then is the response in
    /// the extension's form; otherwise it is plain JSON, without <c>Inference-Header-Content-Length</c>.
    /// </summary>
    public bool AnyBinary(InferenceResponse response)
    {
        if (!AllOutputsBinary && OutputBinary.IsEmpty) return false;
        foreach (var output in response.Outputs)
        {
            if (IsBinary(output.Name)) return true;
        }
        return false;
    }
}
