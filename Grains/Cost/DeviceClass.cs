namespace Cluster.Cost;

/// <summary>The device class a replica's cost is priced by, from the execution provider its session runs on.</summary>
public static class DeviceClass
{
    /// <summary>Sessions on the CPU execution provider (and any provider that is not CUDA).</summary>
    public const string Cpu = "cpu";

    /// <summary>Sessions on the CUDA execution provider.</summary>
    public const string Cuda = "cuda";

    /// <summary>The class of a session on <paramref name="executionProvider"/>.</summary>
    public static string Of(string? executionProvider) =>
        executionProvider is not null && executionProvider.StartsWith("CUDA", StringComparison.Ordinal) ? Cuda : Cpu;
}
