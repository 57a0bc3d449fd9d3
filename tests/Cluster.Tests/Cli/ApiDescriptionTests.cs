using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Modeling;
using Cluster.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Shouldly;

namespace Cluster.Tests.Cli;

/// <summary>The HTTP API's OpenAPI documents, read with the OpenAPI.NET reader, and the reference page in a real browser.</summary>
[Collection(KeyedSiloCollection.Name)]
public sealed class ApiDescriptionTests(CliSiloFixture silo)
{
    [Fact]
    public async Task TheDocumentIsValidAndDescribesEveryMappedRouteWithItsAnswerAndScope()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(silo.Url) };
        var text = await anonymous.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        var (parsed, diagnostic) = OpenApiDocument.Parse(text, "json");
        var document = parsed.ShouldNotBeNull();
        diagnostic!.Errors.ShouldBeEmpty(string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ShouldBeEmpty();
        var described = document.Paths!.SelectMany(p => p.Value.Operations!.Select(o => (Key: $"{o.Key.Method} {p.Key}", Operation: o.Value))).ToDictionary(o => o.Key, o => o.Operation);
        var mapped = MappedRoutes();
        mapped.Count.ShouldBeGreaterThan(40);
        mapped.Where(route => !described.ContainsKey(route)).ShouldBeEmpty("every mapped route is described");
        foreach (var (route, operation) in described)
        {
            operation.Summary.ShouldNotBeNullOrWhiteSpace(route);
            operation.Tags.ShouldNotBeEmpty(route);
            operation.Responses!.Keys.ShouldContain("default", route);
            operation.Responses.Keys.ShouldContain(k => k.StartsWith('2'), route);
        }
        var upload = described["POST /api/models/{model}/versions/{version}"];
        upload.RequestBody!.Content!.Keys.ShouldBe(["application/octet-stream"]);
        upload.Responses!["201"].Content!["application/json"].Schema!.Properties!.Keys.ShouldContain("sha256");
        upload.Extensions!["x-scope"].ShouldNotBeNull();
        Scope(described["POST /api/models/{model}/versions/{version}"]).ShouldBe("admin");
        Scope(described["POST /v2/models/{model}/infer"]).ShouldBe("infer");
        Scope(described["GET /api/models"]).ShouldBe("read");
        described["GET /v2/health/live"].Security.ShouldBeEmpty("health probes need no key");
        var infer = described["POST /v2/models/{model}/infer"].RequestBody!.Content!["application/json"].Schema!;
        infer.Required!.ShouldContain("inputs");
        infer.Required!.ShouldNotContain("id");
    }

    [Fact]
    public async Task EachModelHasAnInferenceDocumentFromItsSignature()
    {
        using var http = new HttpClient { BaseAddress = new Uri(silo.Url) };
        (await http.GetAsync($"/v2/models/{DemoMlp.Name}/openapi.json", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "it shows the signature: read scope");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Admin);
        (await http.GetAsync("/v2/models/no-such-model/openapi.json", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var text = await http.GetStringAsync($"/v2/models/{DemoMlp.Name}/openapi.json", TestContext.Current.CancellationToken);

        var (parsed, diagnostic) = OpenApiDocument.Parse(text, "json");
        var document = parsed.ShouldNotBeNull();
        diagnostic!.Errors.ShouldBeEmpty(string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ShouldBeEmpty();
        document.Paths!.Keys.ShouldBe([$"/v2/models/{DemoMlp.Name}/infer", $"/v2/models/{DemoMlp.Name}/versions/{{version}}/infer"], ignoreOrder: true);
        var schemas = document.Components!.Schemas!;
        var input = schemas["input_x"];
        input.Properties!["datatype"].Const.ShouldBe("FP32");
        input.Properties["shape"].MinItems.ShouldBe(2);
        input.Properties["data"].Items!.Type.ShouldBe(JsonSchemaType.Number);
        schemas.Keys.ShouldContain("output_logits");
        schemas.Keys.ShouldContain("output_probabilities");
        using var raw = JsonDocument.Parse(text);
        raw.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("InferRequest").GetProperty("properties").GetProperty("outputs")
            .GetProperty("items").GetProperty("properties").GetProperty("name").GetProperty("enum").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["logits", "probabilities"]);
    }

    [Fact]
    public async Task KiotaGeneratesATypedClientForOneModelFromItsDocument()
    {
        var folder = Directory.CreateTempSubdirectory("kiota-").FullName;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.Url) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Admin);
            var document = Path.Combine(folder, "demo-mlp.json");
            await File.WriteAllTextAsync(document, await http.GetStringAsync($"/v2/models/{DemoMlp.Name}/openapi.json", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

            var (exitCode, output) = await Kiota("generate", "-l", "CSharp", "-d", document, "-c", "DemoMlpClient", "-n", "Demo.Client", "-o", Path.Combine(folder, "out"));

            exitCode.ShouldBe(0, output);
            output.ShouldNotContain("No server url found");
            var input = await File.ReadAllTextAsync(Path.Combine(folder, "out", "Models", "Input_x.cs"), TestContext.Current.CancellationToken);
            input.ShouldContain("public List<double?>? Data");
            input.ShouldContain("public List<int?>? Shape");
            File.Exists(Path.Combine(folder, "out", "Models", "Output_probabilities.cs")).ShouldBeTrue();
            (await File.ReadAllTextAsync(Path.Combine(folder, "out", "DemoMlpClient.cs"), TestContext.Current.CancellationToken)).ShouldContain(silo.Url);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheReferencePageRendersTheOperationsInABrowserFromTheSiloAlone()
    {
        using var http = new HttpClient { BaseAddress = new Uri(silo.Url) };
        var page = await http.GetStringAsync("/docs/", TestContext.Current.CancellationToken);
        // Every script and style the page loads is the silo's own: no CDN.
        page.ShouldNotContain("https://");

        var dom = await HeadlessChromium.DumpDom($"{silo.Url}/docs/", TimeSpan.FromSeconds(15));

        // The feature groups, and the operations of the first one, which the page opens.
        foreach (var group in new[] { "Inference (v2)", "Models", "Traffic", "Security", "Quality and monitoring" }) dom.ShouldContain(group);
        dom.ShouldContain("Replaces the alert webhook receivers");
        dom.ShouldContain("Active and recent alerts");
    }

    /// <summary>Runs the repository's pinned Kiota (a local dotnet tool, restored by test.sh).</summary>
    private static async Task<(int ExitCode, string Output)> Kiota(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "tool", "run", "kiota" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? Scope(OpenApiOperation operation) =>
        operation.Extensions is { } extensions && extensions.TryGetValue("x-scope", out var scope) && scope is JsonNodeExtension node ? node.Node.GetValue<string>() : null;

    /// <summary>"METHOD /route" of every HTTP endpoint the silo maps, but the dashboard, gRPC and the description itself.</summary>
    private List<string> MappedRoutes() =>
        [.. ((IEndpointRouteBuilder)silo.App).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .Where(e => !e.Metadata.Any(m => m.GetType().Namespace?.StartsWith("Grpc", StringComparison.Ordinal) == true))
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods))
            .Where(e => !e.Route.StartsWith("/dashboard", StringComparison.Ordinal) && !e.Route.StartsWith("/openapi/", StringComparison.Ordinal) && !e.Route.StartsWith("/docs", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Route}"))
            .Distinct()];
}
