namespace Cluster.Silo.Inference;

/// <summary>
/// Parameters of Triton extensions this server does not serve (nor report in server metadata).
/// Each asks for an answer of another form or meaning (class labels, results in shared memory, state
/// kept across a sequence), so ignoring one would answer a question the caller did not ask: it is
/// refused instead, over REST and gRPC alike.
/// </summary>
internal static class UnservedExtensions
{
    /// <summary>The extension a request-level parameter belongs to, or null when it is ours to take or ignore.</summary>
    public static string? OfRequestParameter(string name) =>
        name is "sequence_id" or "sequence_start" or "sequence_end" ? "sequence" : null;

    /// <summary>The extension an input's or requested output's parameter belongs to, or null.</summary>
    public static string? OfTensorParameter(string name) =>
        name == "classification" ? "classification"
        : name.StartsWith("shared_memory_", StringComparison.Ordinal) ? "shared memory"
        : null;

    public static string Refusal(string owner, string parameter, string extension) =>
        $"{owner}: parameter '{parameter}' belongs to Triton's {extension} extension, which this server does not support (see its extensions in server metadata).";
}
