using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.ClusterMode;

public sealed class SecurityTests(PostgresFixture postgres)
{
    private static readonly object Input = new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } };

    private static string[] Settings(string connectionString, params string[] more) => [
        "--Cluster:Provider=Postgres", $"--ConnectionStrings:Postgres={connectionString}", "--Cluster:InitializeDatabase=true",
        $"--Cluster:ClusterId=s{Guid.NewGuid():N}", "--Inference:Device=cpu", "--Models:WriteDemoModel=false", .. more];

    private static HttpClient As(SiloProcess silo, string? key, bool header = false)
    {
        var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        if (key is not null && header) http.DefaultRequestHeaders.Add("X-Api-Key", key);
        else if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<string> CreateKey(SiloProcess silo, string body)
    {
        var (status, created) = await PostRaw(silo.Http, "/api/keys", body);
        status.ShouldBe(HttpStatusCode.Created, created.ToString());
        return created.GetProperty("key").GetString()!;
    }

    [Fact]
    public async Task KeysWithScopesAndModelsGuardTheGatewayAndEveryChangeIsAudited()
    {
        using var repository = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f));
        repository.Add("other", "1", TestModels.Scale(3f));
        await using var silo = await SiloProcess.StartAsync(repository.Root, Settings(await postgres.NewDatabaseAsync(), TestKeys.BootstrapSetting,
            "--Security:RequestsPerSecondPerKey=20", "--Security:BurstPerKey=20", "--Dashboard:Enabled=true"));

        using (var anonymous = As(silo, null))
        {
            var (status, error) = await Get(anonymous, "/v2/models/pair");
            status.ShouldBe(HttpStatusCode.Unauthorized);
            error.GetProperty("error").GetString()!.ShouldContain("API key");
            (await Get(anonymous, "/v2/health/ready")).Status.ShouldBe(HttpStatusCode.OK, "probes stay open");
            (await Get(anonymous, "/metrics")).Status.ShouldBe(HttpStatusCode.Unauthorized);
            (await Get(anonymous, "/dashboard/")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using (var wrong = As(silo, "ck_00000000_not-a-real-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
        {
            (await Get(wrong, "/v2/models/pair")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var inferKey = await CreateKey(silo, """{"name": "pair caller", "scopes": ["infer"], "models": ["pair"]}""");
        var readKey = await CreateKey(silo, """{"name": "dashboards", "scopes": ["read"]}""");
        var pairReader = await CreateKey(silo, """{"name": "pair reader", "scopes": ["read"], "models": ["pair"]}""");
        using (var limited = As(silo, pairReader))
        {
            var (_, listed) = await Get(limited, "/api/models");
            listed.EnumerateArray().Select(m => m.GetProperty("name").GetString()).ShouldBe(["pair"], "listings show only the key's models");
            (await Get(limited, "/api/models/other")).Status.ShouldBe(HttpStatusCode.Forbidden);
        }
        using (var caller = As(silo, inferKey, header: true))
        {
            (await Post(caller, "/v2/models/pair/infer", Input)).Status.ShouldBe(HttpStatusCode.OK, "X-Api-Key works too");
            (await Post(caller, "/v2/models/other/infer", Input)).Status.ShouldBe(HttpStatusCode.Forbidden, "limited to pair");
            (await Get(caller, "/v2/models/pair")).Status.ShouldBe(HttpStatusCode.Forbidden, "no read scope");
            (await PostRaw(caller, "/api/keys", """{"name": "x", "scopes": ["admin"]}""")).Status.ShouldBe(HttpStatusCode.Forbidden);

        }
        // 20 per second with a burst of 20: a flood of 60 at once on one key gets 429s with Retry-After,
        // and leaves the other keys' buckets (the infer key's, used over gRPC next) as they were.
        var flooding = await CreateKey(silo, """{"name": "flooder", "scopes": ["infer"], "models": ["pair"]}""");
        using (var flooder = As(silo, flooding))
        {
            var flood = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => flooder.PostAsync("/v2/models/pair/infer", new StringContent(JsonSerializer.Serialize(Input), Encoding.UTF8, "application/json"))));
            flood.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBeGreaterThan(20);
            flood.First(r => r.StatusCode == HttpStatusCode.TooManyRequests).Headers.RetryAfter.ShouldNotBeNull();
            foreach (var response in flood) response.Dispose();
        }
        using (var caller = As(silo, inferKey))
        {
            (await Post(caller, "/v2/models/pair/infer", Input)).Status.ShouldBe(HttpStatusCode.OK, "a flood on another key does not limit this one");
        }
        // The same keys guard gRPC: a key in the metadata, its scope and model list checked.
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{silo.GrpcPort}"))
        {
            var grpc = new Protocol.V2.GRPCInferenceService.GRPCInferenceServiceClient(channel);
            Protocol.V2.ModelInferRequest Request(string model)
            {
                var request = new Protocol.V2.ModelInferRequest { ModelName = model };
                var x = new Protocol.V2.ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Contents = new Protocol.V2.InferTensorContents() };
                x.Shape.AddRange([1, 2]);
                x.Contents.Fp32Contents.AddRange([1f, 2f]);
                request.Inputs.Add(x);
                return request;
            }
            var withKey = new Grpc.Core.Metadata { { "authorization", $"Bearer {inferKey}" } };
            (await grpc.ModelInferAsync(Request("pair"), withKey)).RawOutputContents.Single().Length.ShouldBe(8);
            (await Should.ThrowAsync<Grpc.Core.RpcException>(async () => await grpc.ModelInferAsync(Request("pair")))).StatusCode.ShouldBe(Grpc.Core.StatusCode.Unauthenticated);
            (await Should.ThrowAsync<Grpc.Core.RpcException>(async () => await grpc.ModelInferAsync(Request("other"), withKey))).StatusCode.ShouldBe(Grpc.Core.StatusCode.PermissionDenied);
            (await grpc.ServerLiveAsync(new Protocol.V2.ServerLiveRequest())).Live.ShouldBeTrue("liveness stays open");
        }
        using (var reader = As(silo, readKey))
        {
            (await Get(reader, "/v2/models/pair")).Status.ShouldBe(HttpStatusCode.OK);
            (await Post(reader, "/v2/models/pair/infer", Input)).Status.ShouldBe(HttpStatusCode.Forbidden);
            (await Get(reader, "/api/audit")).Status.ShouldBe(HttpStatusCode.Forbidden, "the audit log is for admins");
        }

        // Revocation and rotation apply at once on this gateway (and within 2 s on others).
        var (_, keys) = await Get(silo.Http, "/api/keys");
        string IdOf(string name) => keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
        keys.GetProperty("keys").EnumerateArray().Count(k => k.TryGetProperty("key", out _)).ShouldBe(0, "keys are never listed");
        (await silo.Http.DeleteAsync($"/api/keys/{IdOf("pair caller")}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var revoked = As(silo, inferKey)) (await Post(revoked, "/v2/models/pair/infer", Input)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        var (_, rotated) = await PostRaw(silo.Http, $"/api/keys/{IdOf("dashboards")}/rotate", "");
        using (var old = As(silo, readKey)) (await Get(old, "/v2/models/pair")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        using (var fresh = As(silo, rotated.GetProperty("key").GetString())) (await Get(fresh, "/v2/models/pair")).Status.ShouldBe(HttpStatusCode.OK);

        // Who changed what, before and after, from the PostgreSQL audit table.
        using (var content = new StringContent("""{"weights": {"1": 100}}""", Encoding.UTF8, "application/json"))
        {
            (await silo.Http.PutAsync("/api/models/pair/traffic", content)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var (_, audit) = await Get(silo.Http, "/api/audit?limit=50");
        var records = audit.GetProperty("records").EnumerateArray().ToArray();
        var traffic = records.First(r => r.GetProperty("action").GetString() == "traffic.set");
        traffic.GetProperty("actor").GetString().ShouldBe("key:bootstrap");
        traffic.GetProperty("model").GetString().ShouldBe("pair");
        traffic.GetProperty("before").GetString().ShouldBe("all to the default version");
        traffic.GetProperty("after").GetString()!.ShouldContain("weights 1=100");
        records.Select(r => r.GetProperty("action").GetString()).ShouldContain("key.revoke");
        records.Select(r => r.GetProperty("action").GetString()).ShouldContain("key.rotate");
        records.Count(r => r.GetProperty("action").GetString() == "key.create").ShouldBe(4);
        silo.Output.ShouldNotContain(inferKey, customMessage: "no key in the logs");
    }

    [Fact]
    public async Task AClusterWithoutABootstrapKeyPrintsItsFirstAdminKeyOnce()
    {
        using var repository = new TemporaryRepository();
        var settings = Settings(await postgres.NewDatabaseAsync());
        string key;
        await using (var first = await SiloProcess.StartAsync(repository.Root, settings))
        {
            var line = first.Output.Split('\n').Single(l => l.Contains("First admin API key", StringComparison.Ordinal));
            key = line[(line.LastIndexOf(' ') + 1)..].Trim();
            using var admin = As(first, key);
            (await Get(admin, "/api/keys")).Status.ShouldBe(HttpStatusCode.OK);
            await first.StopAsync();
        }
        await using var again = await SiloProcess.StartAsync(repository.Root, settings);
        again.Output.ShouldNotContain("First admin API key");
        using var stillAdmin = As(again, key);
        (await Get(stillAdmin, "/api/audit")).Status.ShouldBe(HttpStatusCode.OK);
    }
}
