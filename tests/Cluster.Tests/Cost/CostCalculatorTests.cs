using Cluster.Cost;
using Shouldly;

namespace Cluster.Tests.Cost;

/// <summary>Prices: replica-hours at each device class's price, memory at the GiB-hour price, and per 1,000 predictions.</summary>
public sealed class CostCalculatorTests
{
    private const double GiB = 1024d * 1024 * 1024;

    private static CostOptions Prices(double cpu, double cuda, double perGiBHour = 0)
    {
        var options = new CostOptions { PricePerGiBHour = perGiBHour };
        options.PricePerReplicaHour["cpu"] = cpu;
        options.PricePerReplicaHour["cuda"] = cuda;
        return options;
    }

    [Fact]
    public void EachSilosReplicaHoursArePricedByItsDeviceClassAndMemoryByItsGiBHours()
    {
        var cpu = new UsageFigures(ReplicaSeconds: 7200, BusySeconds: 720, Requests: 900, Rows: 2000, Batches: 100, MemoryByteSeconds: 2 * GiB * 3600);
        var cuda = new UsageFigures(ReplicaSeconds: 1800, BusySeconds: 900, Requests: 100, Rows: 2000, Batches: 10, MemoryByteSeconds: 0);
        var usage = new VersionUsage("m", "1", cpu.Add(cuda), [new SiloUsage("a", DeviceClass.Cpu, cpu), new SiloUsage("b", DeviceClass.Cuda, cuda)]);

        var cost = CostCalculator.Of(usage, replicas: 3, DeviceClass.Cpu, Prices(cpu: 0.5, cuda: 4, perGiBHour: 0.25));

        // 2 cpu replica-hours × 0.5 + 0.5 cuda replica-hour × 4 + 2 GiB-hours × 0.25.
        cost.EstimatedCost.ShouldBe(1 + 2 + 0.5, 1e-9);
        cost.CostPer1kPredictions.ShouldNotBeNull().ShouldBe(3.5 / 4000 * 1000, 1e-12);
        cost.ComputeSecondsPer1k.ShouldNotBeNull().ShouldBe(1620.0 / 4000 * 1000, 1e-9);
        cost.Device.ShouldBe(DeviceClass.Cpu, "most replica time ran on CPU");
        cost.Usage.Utilization.ShouldBe(1620.0 / 9000, 1e-12);
        cost.Replicas.ShouldBe(3);
    }

    [Fact]
    public void AVersionWithoutUsageCostsNothingAndHasNoPerPredictionFigures()
    {
        var cost = CostCalculator.Of(new VersionUsage("m", "2", UsageFigures.Empty, []), replicas: 0, DeviceClass.Cuda, Prices(1, 2));

        (cost.EstimatedCost, cost.CostPer1kPredictions, cost.ComputeSecondsPer1k, cost.Device).ShouldBe((0d, (double?)null, (double?)null, DeviceClass.Cuda));
    }

    [Fact]
    public void ADeviceClassWithoutAPriceCostsNothing()
    {
        var figures = UsageFigures.Empty with { ReplicaSeconds = 3600 };
        var usage = new VersionUsage("m", "1", figures, [new SiloUsage("a", DeviceClass.Cuda, figures)]);

        var options = new CostOptions();
        options.PricePerReplicaHour["cpu"] = 1;
        CostCalculator.Of(usage, 1, DeviceClass.Cuda, options).EstimatedCost.ShouldBe(0);
    }
}
