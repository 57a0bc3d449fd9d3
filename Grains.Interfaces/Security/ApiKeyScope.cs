namespace Cluster.Security;

/// <summary>What a key may do.</summary>
[Flags, GenerateSerializer, Alias("Cluster.ApiKeyScope")]
public enum ApiKeyScope
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Run inference and post feedback.</summary>
    Infer = 1,
    /// <summary>Read metadata, statistics, traffic, drift, alerts, metrics.</summary>
    Read = 2,
    /// <summary>Change models, traffic, rollouts, keys; read the audit log; open the Orleans dashboard. Includes the others.</summary>
    Admin = 4,
    /// <summary>Export captured predictions, whose payloads may be sensitive (admin also may).</summary>
    Capture = 8,
}
