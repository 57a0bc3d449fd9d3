namespace Cluster.Models;

/// <summary>A version that receives a copy of a sample of requests, to compare with what the primary answered.</summary>
/// <param name="Version">Version number or label.</param>
/// <param name="Fraction">Share of requests mirrored (0–1].</param>
[GenerateSerializer, Immutable, Alias("Cluster.ShadowTarget")]
public sealed record ShadowTarget(string Version, double Fraction);
