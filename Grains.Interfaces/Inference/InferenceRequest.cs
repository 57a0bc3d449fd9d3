using System.Collections.Immutable;
using Cluster.Tensors;

namespace Cluster.Inference;

/// <summary>One inference call: inputs by name and, optionally, which outputs to return.</summary>
/// <param name="Id">Caller's request id, echoed in the response.</param>
/// <param name="Inputs">Input tensors; each carries n ≥ 1 rows along dimension 0 for batchable models.</param>
/// <param name="RequestedOutputs">Outputs to return; empty means all of them.</param>
/// <param name="Timeout">How long the request may wait before compute starts; null uses the model's default.</param>
/// <param name="RoutingKey">Keeps requests with the same key on the same version of a sticky traffic split (e.g. a user id).</param>
/// <param name="Parameters">Request parameters the gateway does not act on, as text (e.g. the segment a quality config names); null when there are none.</param>
/// <param name="TraceId">
/// 32 hex digits of the W3C trace the gateway answered with (its response's <c>traceparent</c>), for the records a request
/// leaves (a capture); null from callers that are not a gateway. Carried in the request rather than the call context, which
/// Orleans would copy on every grain call of every request.
/// </param>
[GenerateSerializer, Immutable, Alias("Cluster.InferenceRequest")]
public sealed record InferenceRequest(string? Id, ImmutableArray<TensorData> Inputs, ImmutableArray<string> RequestedOutputs, TimeSpan? Timeout = null, string? RoutingKey = null, ImmutableDictionary<string, string>? Parameters = null, string? TraceId = null);
