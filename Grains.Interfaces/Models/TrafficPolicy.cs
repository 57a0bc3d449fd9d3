using System.Collections.Immutable;

namespace Cluster.Models;

/// <summary>How requests that name no version are split across versions (A/B, canary).</summary>
/// <param name="Weights">Relative weight per version number or label; versions not listed get no traffic.</param>
/// <param name="Sticky">Keep a routing key on the same version while the weights stay the same.</param>
[GenerateSerializer, Immutable, Alias("Cluster.TrafficPolicy")]
public sealed record TrafficPolicy(ImmutableDictionary<string, double> Weights, bool Sticky);
