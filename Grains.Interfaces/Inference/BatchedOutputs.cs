using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Inference;

/// <summary>One request's answer from its batch worker, with where its time went there.</summary>
/// <param name="Outputs">The request's own outputs, split from its batch's.</param>
/// <param name="QueueTime">From entering the worker's queue to its batch leaving for a replica.</param>
/// <param name="ComputeTime">Time ONNX Runtime spent running the whole batch the request was part of.</param>
[GenerateSerializer, Immutable, Alias("Cluster.BatchedOutputs")]
public sealed record BatchedOutputs(ImmutableArray<TensorData> Outputs, TimeSpan QueueTime, TimeSpan ComputeTime);
