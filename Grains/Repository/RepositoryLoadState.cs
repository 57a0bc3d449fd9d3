namespace Cluster.Repository;

/// <summary>Whether this silo finished registering the models it found at start-up (part of readiness).</summary>
public sealed class RepositoryLoadState
{
    private volatile bool _initialScanDone;

    /// <summary>True once the start-up scan has registered (or failed) every version it found.</summary>
    public bool InitialScanDone => _initialScanDone;

    /// <summary>Marks the start-up scan finished.</summary>
    public void MarkInitialScanDone() => _initialScanDone = true;
}
