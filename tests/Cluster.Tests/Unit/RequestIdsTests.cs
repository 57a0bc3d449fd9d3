using Cluster.Routing;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class RequestIdsTests
{
    [Fact]
    public async Task IdsAreVersionFourGuidsThatNeverRepeatAcrossThreadsAndDraws()
    {
        // Four threads, each past several of its draws of 256 ids.
        var drawn = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 2_000).Select(_ => RequestIds.New()).ToArray())));
        var ids = drawn.SelectMany(batch => batch).ToList();

        ids.Distinct().Count().ShouldBe(ids.Count);
        foreach (var id in ids)
        {
            id.ShouldMatch("^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$");
            Guid.ParseExact(id, "N").Version.ShouldBe(4);
        }
    }
}
