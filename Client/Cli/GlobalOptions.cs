using System.CommandLine;

namespace Cluster.Cli;

/// <summary>Options every command accepts (declared once on the root, recursive), with environment variables as defaults.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string DefaultGrpcUrl = "http://127.0.0.1:8081";

    public Option<string> Url { get; } = new("--url")
    {
        Description = "Gateway HTTP URL (env CLUSTER_URL)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLUSTER_URL") ?? DefaultUrl,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key, sent as Authorization: Bearer (env CLUSTER_API_KEY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLUSTER_API_KEY"),
    };

    public Option<string> GrpcUrl { get; } = new("--grpc-url")
    {
        Description = "Gateway v2 gRPC URL, for loadtest --protocol grpc (env CLUSTER_GRPC_URL)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLUSTER_GRPC_URL") ?? DefaultGrpcUrl,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the gateway's JSON instead of a table",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(GrpcUrl);
        root.Options.Add(Json);
    }
}
