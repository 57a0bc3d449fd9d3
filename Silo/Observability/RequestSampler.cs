using OpenTelemetry.Trace;

namespace Cluster.Silo.Observability;

/// <summary>
/// Traces start only at a request to the gateway: a root span of anything else (a grain timer's
/// statistics push, a rebalance ping) is dropped, so exported traces are requests, not housekeeping.
/// Spans under a request follow <paramref name="inner"/> (parent-based ratio sampling).
/// </summary>
internal sealed class RequestSampler(Sampler inner) : Sampler
{
    // ASP.NET Core's name for the span of an incoming request (HTTP and gRPC) when it is sampled.
    private const string IncomingRequest = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.ParentContext.TraceId == default && parameters.Name != IncomingRequest
            ? new SamplingResult(SamplingDecision.Drop)
            : inner.ShouldSample(parameters);
}
