using System.Collections.Immutable;
using Cluster.Models;

namespace Cluster.Scaling;

/// <summary>A version's autoscaler as operators see it.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Settings">The autoscaling block in force; null when the replica count is fixed.</param>
/// <param name="Replicas">Replicas serving now.</param>
/// <param name="Desired">Replicas the current load asks for.</param>
/// <param name="Load">Ongoing requests over the cluster (mean of the last report interval, summed over silos).</param>
/// <param name="Silos">Silos whose batch workers reported within the last few seconds.</param>
/// <param name="Decisions">The latest replica changes, oldest first.</param>
/// <param name="ColdStarts">Requests that found no replica and waited for one to load.</param>
/// <param name="LastColdStartMs">How long the latest cold start took, in milliseconds.</param>
/// <param name="MaxColdStartMs">The longest cold start seen by this activation, in milliseconds.</param>
[GenerateSerializer, Immutable, Alias("Cluster.AutoscalerStatus")]
public sealed record AutoscalerStatus(
    string Model,
    string Version,
    AutoscalingConfig? Settings,
    int Replicas,
    int Desired,
    double Load,
    int Silos,
    ImmutableArray<ScaleDecision> Decisions,
    long ColdStarts,
    double LastColdStartMs,
    double MaxColdStartMs);
