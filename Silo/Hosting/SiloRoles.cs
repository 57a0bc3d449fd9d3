namespace Cluster.Silo.Hosting;

/// <summary>What a silo process does.</summary>
[Flags]
public enum SiloRoles
{
    /// <summary>No role.</summary>
    None = 0,
    /// <summary>Serves the HTTP API.</summary>
    Gateway = 1,
    /// <summary>Hosts replicas and loads the model repository.</summary>
    Inference = 2,
}

/// <summary>Parses <c>Silo:Roles</c>.</summary>
public static class SiloRolesParser
{
    /// <summary>Parses a comma-separated list such as <c>gateway,inference</c>.</summary>
    public static SiloRoles Parse(string text)
    {
        var roles = SiloRoles.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToLowerInvariant() switch
            {
                "gateway" => SiloRoles.Gateway,
                "inference" => SiloRoles.Inference,
                _ => throw new ArgumentException($"Unknown silo role '{part}': use gateway and/or inference."),
            };
        }
        return roles == SiloRoles.None ? throw new ArgumentException("Silo:Roles names no role.") : roles;
    }
}
