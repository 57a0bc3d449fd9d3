namespace Cluster.Cli.Loadtest;

/// <summary>
/// One input of the requests a load test sends: numbers for numeric and BOOL datatypes (BOOL as 0/1),
/// texts for BYTES. Every protocol's body is built from it once, before the clock starts.
/// </summary>
public sealed record InputTensor(string Name, string Datatype, long[] Shape, double[]? Numbers, string[]? Texts)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Little-endian bytes as the binary extension and gRPC's raw contents carry them (BYTES length-prefixed).</summary>
    public byte[] Raw() => TensorBytes.Encode(this);
}
