namespace Cluster.Benchmarks;

/// <summary>One measured served cell: its load result and the silo's cost per answered call.</summary>
/// <param name="CpuMsPerCall">Silo CPU time (user + system) per call, in milliseconds.</param>
/// <param name="KbPerCall">Bytes the silo allocated per call, in KiB.</param>
/// <param name="Gen2PerThousand">The silo's gen-2 collections per thousand calls.</param>
internal readonly record struct ServedCell(LoadResult Result, double CpuMsPerCall, double KbPerCall, double Gen2PerThousand);
