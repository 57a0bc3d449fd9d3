namespace Cluster.Cli.Http;

/// <summary>The gateway answered with an error status; <see cref="Exception.Message"/> is its <c>{"error"}</c> text.</summary>
public sealed class GatewayRefusedException(int statusCode, string request, string message)
    : Exception($"{request}: {statusCode} {message}")
{
    public int StatusCode { get; } = statusCode;

    public int ExitCode => StatusCode >= 500 ? ExitCodes.ServerError : ExitCodes.Refused;
}
