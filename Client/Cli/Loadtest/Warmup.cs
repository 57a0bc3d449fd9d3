using Cluster.Cli.Http;
using Grpc.Core;

namespace Cluster.Cli.Loadtest;

/// <summary>
/// One request before the clock starts: it opens the connection (a gRPC channel's first call pays
/// the HTTP/2 handshake, which otherwise lands in the first level's tail) and proves the request is
/// accepted, so a wrong input or key ends the run with the gateway's message and exit code at once
/// instead of a level of identical failures.
/// </summary>
internal static class Warmup
{
    public static async Task SendAsync(IInferenceSender sender, string model, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            throw new GatewayRefusedException(HttpEquivalent(ex.StatusCode), $"gRPC ModelInfer {model}", ex.Status.Detail);
        }
    }

    private static int HttpEquivalent(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.NotFound => 404,
        StatusCode.FailedPrecondition => 409,
        StatusCode.ResourceExhausted => 429,
        StatusCode.DeadlineExceeded => 504,
        _ => 500,
    };
}
