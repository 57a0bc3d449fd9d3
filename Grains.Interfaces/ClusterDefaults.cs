namespace Cluster;

/// <summary>Identifiers and ports shared by silos and clients unless configured otherwise.</summary>
public static class ClusterDefaults
{
    /// <summary>Orleans cluster id.</summary>
    public const string ClusterId = "cluster";

    /// <summary>Orleans service id.</summary>
    public const string ServiceId = "cluster";

    /// <summary>Silo-to-silo port.</summary>
    public const int SiloPort = 11111;

    /// <summary>Port clients connect to.</summary>
    public const int GatewayPort = 30000;
}
