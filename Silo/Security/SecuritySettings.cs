using System.ComponentModel.DataAnnotations;

namespace Cluster.Silo.Security;

/// <summary>API keys and rate limits of the gateway (configuration section <c>Security</c>).</summary>
public sealed class SecuritySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Security";

    /// <summary>Require an API key on every request but health probes; unset: required in cluster mode, not in the embedded default.</summary>
    public bool? RequireKeys { get; set; }

    /// <summary>An admin key taken from configuration (e.g. a Kubernetes secret); without one, a cluster that requires keys prints a first admin key once.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>Sustained requests per second allowed per key; 0 (the default: a serving cluster's callers differ too much for one number) turns rate limiting off.</summary>
    [Range(0, 1_000_000)]
    public double RequestsPerSecondPerKey { get; set; }

    /// <summary>Requests a key may send at once above its sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int BurstPerKey { get; set; } = 2000;

    /// <summary>Whether keys are required, given the cluster provider.</summary>
    public bool KeysRequired(bool clusterMode) => RequireKeys ?? clusterMode;
}
