using Cluster.Inference;
using Cluster.Routing;
using Cluster.Tensors;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class ResponseCacheTests
{
    private static InferenceRequest Request(float value, params string[] outputs) => new(null, [TensorData.From<float>("x", [value, 1f], 1, 2)], [.. outputs]);

    [Fact]
    public void KeysDifferWithVersionInputsShapesAndRequestedOutputs()
    {
        var key = ResponseCache.KeyOf("1", Request(1));

        key.ShouldBe(ResponseCache.KeyOf("1", Request(1) with { Id = "other id" }));
        key.ShouldNotBe(ResponseCache.KeyOf("2", Request(1)));
        key.ShouldNotBe(ResponseCache.KeyOf("1", Request(2)));
        key.ShouldNotBe(ResponseCache.KeyOf("1", Request(1, "y")));
        key.ShouldNotBe(ResponseCache.KeyOf("1", new InferenceRequest(null, [TensorData.From<float>("x", [1f, 1f], 2, 1)], [])));
    }

    [Fact]
    public void BytesKeysFollowEveryElementBoundary()
    {
        InferenceRequest Text(params string[] values) => new(null, [TensorData.FromStrings("t", values, values.Length)], []);

        var key = ResponseCache.KeyOf("1", Text("ab", "c"));

        key.ShouldBe(ResponseCache.KeyOf("1", Text("ab", "c")));
        key.ShouldNotBe(ResponseCache.KeyOf("1", Text("a", "bc")), "the same characters split differently are another request");
        key.ShouldNotBe(ResponseCache.KeyOf("1", Text("ab", "c", "")));
        ResponseCache.KeyOf("1", Text("")).ShouldNotBe(ResponseCache.KeyOf("1", Text("", "")));
    }

    [Fact]
    public void TheLeastRecentlyUsedEntryIsEvictedFirst()
    {
        var cache = new ResponseCache();
        var outputs = Enumerable.Range(0, 3).Select(i => (Key: $"k{i}", Outputs: (System.Collections.Immutable.ImmutableArray<TensorData>)[TensorData.From<float>("y", [i], 1)])).ToArray();
        cache.Add(outputs[0].Key, outputs[0].Outputs, capacity: 2);
        cache.Add(outputs[1].Key, outputs[1].Outputs, capacity: 2);
        cache.TryGet("k0", out _).ShouldBeTrue();

        cache.Add(outputs[2].Key, outputs[2].Outputs, capacity: 2);

        cache.Count.ShouldBe(2);
        cache.TryGet("k1", out _).ShouldBeFalse("k1 was the least recently used");
        cache.TryGet("k0", out var kept).ShouldBeTrue();
        kept[0].ToArray<float>().ShouldBe([0f]);
    }
}
