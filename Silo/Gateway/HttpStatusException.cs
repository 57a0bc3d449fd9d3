namespace Cluster.Silo.Gateway;

/// <summary>A request the gateway refuses for an HTTP reason of its own (size limits: 413, content type: 415), answered with that status and the message.</summary>
internal sealed class HttpStatusException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static HttpStatusException TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, message);
}
