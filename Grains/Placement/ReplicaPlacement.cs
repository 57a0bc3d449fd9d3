using Orleans.Placement;

namespace Cluster.Placement;

/// <summary>Places replicas on inference silos, preferring silos with accelerators and spreading a version's replicas.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Cluster.ReplicaPlacement")]
public sealed class ReplicaPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static ReplicaPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class to be placed by <see cref="ReplicaPlacementDirector"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ReplicaPlacementAttribute() : PlacementAttribute(ReplicaPlacement.Instance);
