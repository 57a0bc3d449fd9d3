using Cluster.Modeling;
using Cluster.Onnx;
using Cluster.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class ExecutionProviderSelectorTests
{
    private static OnnxSessionFactory Factory(string device) =>
        new(new ExecutionProviderSelector(Options.Create(new InferenceOptions { Device = device }), NullLogger<ExecutionProviderSelector>.Instance));

    [Fact]
    public void AutoUsesCudaWhereItLoadsAndOtherwiseFallsBackToCpuWhileCudaFailsLoudly()
    {
        using var repository = new TemporaryRepository();
        var path = repository.Add(DemoMlp.Name, "1", DemoMlp.Build());

        using var auto = Factory("auto").Load(path, null);

        if (auto.ExecutionProvider == ExecutionProviderSelector.CpuProvider)
        {
            // No usable CUDA here (every CI machine): asking for it explicitly must fail with the reason.
            var error = Should.Throw<ModelSessionException>(() => Factory("cuda").Load(path, null));
            error.Message.ShouldContain("CUDA execution provider cannot load");
        }
        else
        {
            auto.ExecutionProvider.ShouldBe(ExecutionProviderSelector.CudaProvider);
            using var cuda = Factory("cuda").Load(path, null);
            cuda.ExecutionProvider.ShouldBe(ExecutionProviderSelector.CudaProvider);
        }
        using var cpu = Factory("cuda").Load(path, "cpu");
        cpu.ExecutionProvider.ShouldBe(ExecutionProviderSelector.CpuProvider, "a model's own device setting wins over the silo's");
    }

    [Fact]
    public void SessionsWithAndWithoutSpinningComputeTheSameOutputs()
    {
        using var repository = new TemporaryRepository();
        var path = repository.Add(DemoMlp.Name, "1", DemoMlp.Build());
        OnnxModelSession Load(bool spinning) =>
            new OnnxSessionFactory(new ExecutionProviderSelector(Options.Create(new InferenceOptions { Device = "cpu", IntraOpThreads = 2, AllowSpinning = spinning }), NullLogger<ExecutionProviderSelector>.Instance)).Load(path, null);
        float[] x = [1, 2, 3, 4, 0.5f, -1, 0, 2];
        var input = Cluster.Tensors.TensorData.From<float>("x", x, 2, 4);

        using var quiet = Load(spinning: false);
        using var spinning = Load(spinning: true);
        var expected = DemoMlp.Compute(x).Probabilities;

        foreach (var session in new[] { quiet, spinning })
        {
            var output = session.Run([input], []).Single(o => o.Name == "probabilities");
            DirectOnnx.MaxAbsDiff(expected, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(output.Data).ToArray()).ShouldBeLessThanOrEqualTo(1e-5f);
        }
    }
}
