namespace Cluster.Batching;

/// <summary>
/// The FIFO of pending requests of one worker. A batch starts with the oldest request and takes
/// later requests with the same batch key, in order, while the rows fit; others keep their place.
/// </summary>
internal sealed class BatchQueue
{
    private readonly LinkedList<PendingRequest> _items = new();

    public int Count => _items.Count;

    public PendingRequest? Oldest => _items.First?.Value;

    public void Enqueue(PendingRequest request) => _items.AddLast(request);

    /// <summary>Puts requests that must go again ahead of everything, in their order: they were first.</summary>
    public void EnqueueFirst(IReadOnlyList<PendingRequest> requests)
    {
        for (var i = requests.Count - 1; i >= 0; i--)
        {
            if (!requests[i].IsDone) _items.AddFirst(requests[i]);
        }
    }

    /// <summary>Rows that a batch started by the oldest request could hold now, up to <paramref name="maxRows"/>.</summary>
    public int CompatibleRows(int maxRows)
    {
        if (_items.First is not { } first) return 0;
        var rows = 0;
        foreach (var item in _items)
        {
            if (item.BatchKey != first.Value.BatchKey) continue;
            if (rows + item.Rows > maxRows) break;
            rows += item.Rows;
        }
        return rows;
    }

    /// <summary>Takes the oldest request and the compatible ones after it, up to <paramref name="maxRows"/> rows (at least one request).</summary>
    public List<PendingRequest> TakeBatch(int maxRows)
    {
        var batch = new List<PendingRequest>();
        if (_items.First is not { } first) return batch;
        var key = first.Value.BatchKey;
        var rows = 0;
        for (var node = _items.First; node is not null;)
        {
            var next = node.Next;
            var item = node.Value;
            if (item.BatchKey == key)
            {
                if (batch.Count > 0 && rows + item.Rows > maxRows) break;
                batch.Add(item);
                rows += item.Rows;
                _items.Remove(node);
            }
            node = next;
        }
        return batch;
    }

    /// <summary>Removes and returns every request matching <paramref name="drop"/>.</summary>
    public IReadOnlyList<PendingRequest> RemoveWhere(Func<PendingRequest, bool> drop) => RemoveWhere(drop, static (pending, drop) => drop(pending));

    /// <summary>
    /// Removes and returns every request <paramref name="drop"/> matches given <paramref name="state"/>. The scheduler looks for
    /// expired requests before every batch, and seldom finds one: with the state passed in (no closure) and the list made only
    /// once something goes, that look allocates nothing.
    /// </summary>
    public IReadOnlyList<PendingRequest> RemoveWhere<TState>(TState state, Func<PendingRequest, TState, bool> drop)
    {
        List<PendingRequest>? removed = null;
        for (var node = _items.First; node is not null;)
        {
            var next = node.Next;
            if (drop(node.Value, state))
            {
                (removed ??= []).Add(node.Value);
                _items.Remove(node);
            }
            node = next;
        }
        return removed ?? (IReadOnlyList<PendingRequest>)[];
    }

    /// <summary>The earliest deadline among queued requests, if any has one.</summary>
    public long? EarliestDeadline()
    {
        long? earliest = null;
        foreach (var item in _items)
        {
            if (item.DeadlineAt is { } deadline && (earliest is null || deadline < earliest)) earliest = deadline;
        }
        return earliest;
    }
}
