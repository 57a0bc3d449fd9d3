using Cluster.Modeling;
using Cluster.Tests.Support;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class DemoMlpTests
{
    [Fact]
    public void TheBuiltModelComputesWhatItsCSharpReferenceComputes()
    {
        using var repository = new TemporaryRepository();
        var path = repository.Add(DemoMlp.Name, "1", DemoMlp.Build());
        float[] x = [1, 2, 3, 4, -1, 0.5f, 0, -2];

        var onnx = DirectOnnx.RunFloat(path, "x", x, [2, 4]);
        var (logits, probabilities) = DemoMlp.Compute(x);

        DirectOnnx.MaxAbsDiff(logits, onnx["logits"]).ShouldBeLessThanOrEqualTo(1e-4f);
        DirectOnnx.MaxAbsDiff(probabilities, onnx["probabilities"]).ShouldBeLessThanOrEqualTo(1e-5f);
        probabilities.Take(3).Sum().ShouldBe(1f, 1e-5f);
        logits.Distinct().Count().ShouldBeGreaterThan(4, "weights must make outputs depend on the input");
    }
}
