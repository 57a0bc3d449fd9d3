using System.Collections.Immutable;
using System.Security.Cryptography;
using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Routing;

/// <summary>
/// Outputs of recent requests by a hash of what decides them (version, inputs' names, datatypes,
/// shapes and bytes, requested outputs), least recently used evicted first. SHA-256, so two
/// different requests never share an entry. One per router activation, i.e. per silo and model.
/// </summary>
public sealed class ResponseCache
{
    private readonly Dictionary<string, LinkedListNode<(string Key, ImmutableArray<TensorData> Outputs)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, ImmutableArray<TensorData> Outputs)> _recency = new();

    public int Count => _entries.Count;

    /// <summary>The cache key of <paramref name="request"/> on <paramref name="version"/>.</summary>
    public static string KeyOf(string version, InferenceRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string text)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        Text(version);
        foreach (var input in request.Inputs)
        {
            Text(input.Name);
            Text(input.DataType.ProtocolName());
            Text(ShapeMath.Format(input.Shape.AsSpan()));
            hash.AppendData(input.Data);
        }
        foreach (var output in request.RequestedOutputs) Text(output);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public bool TryGet(string key, out ImmutableArray<TensorData> outputs)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            outputs = node.Value.Outputs;
            return true;
        }
        outputs = default;
        return false;
    }

    public void Add(string key, ImmutableArray<TensorData> outputs, int capacity)
    {
        if (capacity <= 0 || _entries.ContainsKey(key)) return;
        _entries[key] = _recency.AddFirst((key, outputs));
        while (_entries.Count > capacity)
        {
            var last = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(last.Value.Key);
        }
    }
}
