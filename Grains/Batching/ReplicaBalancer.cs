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
        var chosen = 0;
        if (replicas > 1)
        {
            var a = Random.Shared.Next(replicas);
            var b = Random.Shared.Next(replicas - 1);
            if (b >= a) b++;
            chosen = Outstanding(b) < Outstanding(a) ? b : a;
        }
        Take(chosen);
        return chosen;
    }

    /// <summary>The replica among <paramref name="replicas"/> other than <paramref name="except"/> with the fewest outstanding batches, counted; null when there is no other.</summary>
    public int? AcquireOther(int replicas, int except)
    {
        int? chosen = null;
        for (var replica = 0; replica < replicas; replica++)
        {
            if (replica != except && (chosen is null || Outstanding(replica) < Outstanding(chosen.Value))) chosen = replica;
        }
        if (chosen is { } other) Take(other);
        return chosen;
    }

    /// <summary>Counts a batch on <paramref name="to"/> instead of <paramref name="from"/> (the batch left for another replica).</summary>
    public void Move(int from, int to)
    {
        Release(from);
        Take(to);
    }

    public void Release(int replica)
    {
        _outstanding[replica]--;
        Total--;
    }

    private void Take(int replica)
    {
        if (_outstanding.Length <= replica) Array.Resize(ref _outstanding, replica + 1);
        _outstanding[replica]++;
        Total++;
    }
}
