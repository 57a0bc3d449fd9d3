namespace Cluster.Batching;

/// <summary>Picks the replica with fewer outstanding batches out of two random ones (power of two choices).</summary>
internal sealed class ReplicaBalancer
{
    private int[] _outstanding = [];

    public int Total { get; private set; }

    /// <summary>Outstanding batches of one replica.</summary>
    public int Outstanding(int replica) => replica < _outstanding.Length ? _outstanding[replica] : 0;

    /// <summary>Chooses a replica among <paramref name="replicas"/> and counts a batch on it.</summary>
    public int Acquire(int replicas)
    {
        if (_outstanding.Length < replicas) Array.Resize(ref _outstanding, replicas);
        var chosen = 0;
        if (replicas > 1)
        {
            var a = Random.Shared.Next(replicas);
            var b = Random.Shared.Next(replicas - 1);
            if (b >= a) b++;
            chosen = _outstanding[b] < _outstanding[a] ? b : a;
        }
        _outstanding[chosen]++;
        Total++;
        return chosen;
    }

    public void Release(int replica)
    {
        _outstanding[replica]--;
        Total--;
    }
}
