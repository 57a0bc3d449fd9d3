namespace Cluster.Cli.Loadtest;

/// <summary>One step of a sweep: a number of closed-loop callers, or an open-loop request rate.</summary>
public sealed record LoadLevel(bool OpenLoop, double Value)
{
    public string Mode => OpenLoop ? "rate" : "concurrency";

    public override string ToString() => $"{Mode} {Value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}";
}
