using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Models;

/// <summary>An input or output as the model declares it; -1 marks a dynamic dimension.</summary>
[GenerateSerializer, Immutable, Alias("Cluster.TensorSpec")]
public sealed record TensorSpec(string Name, TensorDataType DataType, ImmutableArray<long> Shape);
