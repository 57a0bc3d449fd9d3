namespace Cluster.Cost;

/// <summary>Prices a version's usage: each silo's replica-hours at its device class's price, plus memory.</summary>
public static class CostCalculator
{
    /// <summary>
    /// The version's cost over a window. <paramref name="fallbackDevice"/> names the device class when the window holds no usage
    /// (the class the catalog says the version runs on).
    /// </summary>
    public static VersionCost Of(VersionUsage usage, int replicas, string fallbackDevice, CostOptions prices)
    {
        var cost = usage.Silos.Sum(s => prices.CostOf(s.Device, s.Figures));
        var device = usage.Silos
            .GroupBy(s => s.Device)
            .Select(g => (Device: g.Key, Seconds: g.Sum(s => s.Figures.ReplicaSeconds)))
            .OrderByDescending(d => d.Seconds)
            .ThenBy(d => d.Device, StringComparer.Ordinal)
            .Select(d => d.Device)
            .FirstOrDefault() ?? fallbackDevice;
        var rows = usage.Total.Rows;
        return new VersionCost(
            usage.Model,
            usage.Version,
            device,
            replicas,
            usage.Total,
            rows > 0 ? usage.Total.BusySeconds / rows * 1000 : null,
            cost,
            rows > 0 ? cost / rows * 1000 : null,
            usage.Silos);
    }
}
