using System.Net;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class DashboardSwitchTests
{
    [Fact]
    public async Task ASiloWithoutTheDashboardServesEverythingElse()
    {
        using var repository = new TemporaryRepository();
        await using var silo = await SiloProcess.StartAsync(repository.Root, "--Dashboard:Enabled=false", "--Inference:Device=cpu");

        (await silo.Http.GetAsync("/dashboard/")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (status, body) = await Post(silo.Http, "/v2/models/demo-mlp/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 4], new[] { 1f, 2, 3, 4 }) } });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        (await silo.Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
