using Microsoft.AspNetCore.Authentication;

namespace Cluster.Silo.Security;

/// <summary>Options of the <see cref="ApiKeyAuthenticationHandler.SchemeName"/> scheme.</summary>
internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Whether requests need keys here (a gateway that requires them); otherwise every policy passes without one.</summary>
    public bool Required { get; set; }
}
