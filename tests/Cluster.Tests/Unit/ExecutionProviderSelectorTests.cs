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
            var error = Should.Throw<InvalidOperationException>(() => Factory("cuda").Load(path, null));
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
}
