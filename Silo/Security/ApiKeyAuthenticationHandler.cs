using System.Security.Claims;
using System.Text.Encodings.Web;
using Cluster.Security;
using Cluster.Silo.Gateway;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Security;

/// <summary>
/// Authenticates the API key a request presents (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>)
/// against <see cref="ApiKeyCache"/>: a hash and a dictionary lookup, never a grain call. The key
/// goes into <see cref="HttpContext.Items"/> for what it limits (listings, gRPC models, its rate).
/// Challenges answer 401 in the API's error shape, with <c>WWW-Authenticate</c>.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory loggers, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggers, encoder)
{
    /// <summary>Name of the scheme.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The key the request authenticated with, if any.</summary>
    public static ApiKeyInfo? KeyOf(HttpContext http) => http.Items[typeof(ApiKeyInfo)] as ApiKeyInfo;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Options.Required || Presented(Request) is not { } presented) return AuthenticateResult.NoResult();
        await keys.Loaded;
        if (keys.Find(presented) is not { } key) return AuthenticateResult.Fail("The API key is unknown or revoked.");
        Context.Items[typeof(ApiKeyInfo)] = key;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, key.Id)], SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if ((await HandleAuthenticateOnceSafeAsync()).Failure is null)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            await JsonResults.Error(Response, StatusCodes.Status401Unauthorized, "An API key is required: send \"Authorization: Bearer <key>\" or \"X-Api-Key: <key>\".");
        }
        else
        {
            Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await JsonResults.Error(Response, StatusCodes.Status401Unauthorized, "The API key is unknown or revoked.");
        }
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        JsonResults.Error(Response, StatusCodes.Status403Forbidden, "The API key may not make this request.");

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7) return authorization[7..].Trim();
        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
