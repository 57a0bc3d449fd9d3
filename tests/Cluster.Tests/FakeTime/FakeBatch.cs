using System.Collections.Immutable;

namespace Cluster.Tests.FakeTime;

/// <summary>A batch a fake session was asked to run: where, of which version, and the shape of its input.</summary>
public sealed record FakeBatch(string Silo, string Model, string Version, ImmutableArray<long> Shape)
{
    /// <summary>Rows of the batch (requests joined along the first dimension).</summary>
    public long Rows => Shape[0];
}
