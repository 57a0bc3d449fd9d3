namespace Cluster.Silo.ApiDescription;

/// <summary>What the OpenAPI document says of one endpoint: a summary, its request body and its answer.</summary>
/// <param name="Summary">One line on what the call does.</param>
/// <param name="Request">The request body's type, null without one.</param>
/// <param name="Response">The success answer's type; null for an answer without a body (or with text, see <paramref name="ResponseType"/>).</param>
/// <param name="Status">The success status.</param>
/// <param name="RequestType">The request body's media type.</param>
/// <param name="ResponseType">The answer's media type.</param>
internal sealed record ApiOperation(
    string Summary,
    Type? Request,
    Type? Response,
    int Status = StatusCodes.Status200OK,
    string RequestType = ApiOperation.Json,
    string ResponseType = ApiOperation.Json)
{
    public const string Json = "application/json";
}
