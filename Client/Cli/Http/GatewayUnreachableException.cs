namespace Cluster.Cli.Http;

/// <summary>No HTTP answer came back from the gateway.</summary>
public sealed class GatewayUnreachableException(Uri gateway, Exception inner)
    : Exception($"cannot reach the gateway at {gateway}: {inner.Message}", inner);
