extern alias silo;
using Cluster.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Tests.EndToEnd;

public sealed class EndpointAuthorizationTests
{
    [Fact]
    public async Task EveryEndpointOfAStartedGatewayDeclaresAPolicyOrAllowsAnonymousCallers()
    {
        using var repository = new TemporaryRepository();
        var app = SiloApplication.Build([
            $"--Gateway:Urls=http://127.0.0.1:{FreePorts.Next()}", $"--Gateway:GrpcUrls=http://127.0.0.1:{FreePorts.Next()}",
            $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}",
            $"--Models:Repository={repository.Root}", "--Models:WriteDemoModel=false", "--Inference:Device=cpu",
            "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();
            var policies = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
            var undeclared = new List<string>();
            foreach (var endpoint in endpoints)
            {
                var named = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToArray();
                if (named.Length == 0 && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null) undeclared.Add(Describe(endpoint));
                foreach (var name in named)
                {
                    (await policies.GetPolicyAsync(name)).ShouldNotBeNull($"{Describe(endpoint)} names the unregistered policy '{name}'");
                }
            }
            undeclared.ShouldBeEmpty("every route needs .RequireAuthorization(policy) or .AllowAnonymous()");

            // The walk reaches what is not mapped through our groups: gRPC, the dashboard, Prometheus.
            var patterns = endpoints.Select(e => e.RoutePattern.RawText ?? "").ToArray();
            patterns.ShouldContain(p => p.Contains("inference.GRPCInferenceService/ModelInfer", StringComparison.Ordinal));
            patterns.ShouldContain(p => p.StartsWith("/dashboard", StringComparison.Ordinal));
            patterns.ShouldContain("/metrics");
        }
        finally
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
            await app.DisposeAsync();
        }
    }

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join(",", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText} ({endpoint.DisplayName})";
}
