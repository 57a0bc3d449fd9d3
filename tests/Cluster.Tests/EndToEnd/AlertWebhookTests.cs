extern alias silo;
using System.Net;
using System.Text.Json;
using Cluster.Alerts;
using Cluster.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Shouldly;
using silo::Cluster.Silo.Hosting;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

/// <summary>
/// Alert webhooks end to end: the real silo application (in this process) serving a real ONNX model whose
/// p99 threshold (1 µs) every request exceeds, and a receiver in this process. Real time, with a 200 ms
/// first retry so the retry after a 500 is quick.
/// </summary>
public sealed class AlertWebhookTests : IAsyncLifetime
{
    private const string Model = "alerted";
    private const string Secret = "whsec-e2e";
    private readonly TemporaryRepository _repository = new();
    private WebApplication _silo = null!;
    private WebhookReceiver _receiver = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _repository.Add(Model, "1", TestModels.Scale(1f), """{"max_batch_size": 8, "alerts": {"max_p99_ms": 0.001}}""");
        var httpPort = FreePorts.Next();
        _silo = SiloApplication.Build([
            $"--Gateway:Urls=http://127.0.0.1:{httpPort}", $"--Gateway:GrpcUrls=http://127.0.0.1:{FreePorts.Next()}",
            $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}", "--Dashboard:Enabled=false",
            $"--Models:Repository={_repository.Root}", "--Models:WriteDemoModel=false", "--Inference:Device=cpu",
            "--Alerts:Webhooks:FirstRetryDelay=00:00:00.2", "--Logging:LogLevel:Default=Warning"]);
        await _silo.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        await Poll.Until(async () =>
        {
            using var ready = await _http.GetAsync($"/v2/models/{Model}/ready");
            return ready.IsSuccessStatusCode;
        }, limit: TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _silo.StopAsync();
        await _silo.DisposeAsync();
        await _receiver.DisposeAsync();
        _repository.Dispose();
    }

    private async Task Infer(int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            (await Post(_http, $"/v2/models/{Model}/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } })).Status.ShouldBe(HttpStatusCode.OK);
        }
    }

    /// <summary>Keeps a little traffic flowing (alerts are judged on the workers' pushes) until <paramref name="done"/>.</summary>
    private async Task TrafficUntil(Func<bool> done, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{what} did not happen within 60 s");
            await Infer(5);
            await Task.Delay(200);
        }
    }

    private static string[] States(IEnumerable<ReceivedWebhook> received) => [.. received.Where(r => r.Answered == 200).Select(r => r.Json.GetProperty("state").GetString()!)];

    [Fact]
    public async Task ARaisedAndClearedAlertReachEachReceiverOnceSignedWithARetryAfterA500AndAreLogged()
    {
        var put = $$"""{"receivers": [{"url": "{{_receiver.Url("ops")}}", "secret": "{{Secret}}"}, {"url": "{{_receiver.Url("flaky")}}"}]}""";
        var (status, set) = await PutRaw(_http, "/api/alerts/webhooks", put);
        status.ShouldBe(HttpStatusCode.OK, set.ToString());
        var (_, shown) = await Get(_http, "/api/alerts/webhooks");
        var receivers = shown.GetProperty("receivers").EnumerateArray().ToArray();
        receivers.Select(r => r.GetProperty("url").GetString()).ShouldBe([_receiver.Url("ops"), _receiver.Url("flaky")]);
        receivers[0].GetProperty("secret").GetString().ShouldBe("********");
        receivers[1].GetProperty("secret").ValueKind.ShouldBe(JsonValueKind.Null);
        // What GET shows goes back unchanged: the masked secret keeps the stored one (the signatures below prove it).
        (await PutRaw(_http, "/api/alerts/webhooks", shown.ToString())).Status.ShouldBe(HttpStatusCode.OK);
        (await PutRaw(_http, "/api/alerts/webhooks", """{"receivers": [{"url": "ftp://nope"}]}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
        _receiver.AnswerNext("flaky", 500);

        await TrafficUntil(() => States(_receiver.For("ops")).Length >= 1 && States(_receiver.For("flaky")).Length >= 1, "the raised alert's deliveries");
        // A threshold far above every reading clears the alert (it must fall below 80 % of it).
        (await PutRaw(_http, $"/api/models/{Model}/config", """{"max_batch_size": 8, "alerts": {"max_p99_ms": 60000}}""")).Status.ShouldBe(HttpStatusCode.OK);
        await TrafficUntil(() => States(_receiver.For("ops")).Length >= 2 && States(_receiver.For("flaky")).Length >= 2, "the cleared alert's deliveries");

        var ops = _receiver.For("ops");
        States(ops).ShouldBe(["raised", "cleared"], "once each, in order");
        ops.Count.ShouldBe(2);
        ops.ShouldAllBe(r => WebhookSignature.Verify(Secret, r.Header(WebhookSignature.TimestampHeader), r.Header(WebhookSignature.SignatureHeader), r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var raised = ops[0].Json;
        (raised.GetProperty("model").GetString(), raised.GetProperty("version").GetString(), raised.GetProperty("kind").GetString()).ShouldBe((Model, "1", "p99_latency_ms"));
        raised.GetProperty("threshold").GetDouble().ShouldBe(0.001);
        raised.GetProperty("value").GetDouble().ShouldBeGreaterThan(0.001);
        var cleared = ops[1].Json;
        cleared.GetProperty("alert_id").GetString().ShouldBe(raised.GetProperty("alert_id").GetString());
        cleared.GetProperty("threshold").GetDouble().ShouldBe(60000);
        ops[0].Header(WebhookSender.DeliveryHeader).ShouldBe(raised.GetProperty("id").GetString());

        var flaky = _receiver.For("flaky");
        flaky.Select(r => (r.Answered, r.Json.GetProperty("state").GetString())).ShouldBe([(500, "raised"), (200, "raised"), (200, "cleared")]);
        flaky.ShouldAllBe(r => !r.Headers.ContainsKey(WebhookSignature.SignatureHeader));

        var (logStatus, log) = await Get(_http, "/api/alerts/deliveries");
        logStatus.ShouldBe(HttpStatusCode.OK, log.ToString());
        var deliveries = log.GetProperty("deliveries").EnumerateArray().ToArray();
        deliveries.Length.ShouldBe(4, log.ToString());
        deliveries.ShouldAllBe(d => d.GetProperty("outcome").GetString() == "delivered" && d.GetProperty("status_code").GetInt32() == 200 && d.GetProperty("model").GetString() == Model);
        deliveries.Single(d => d.GetProperty("url").GetString() == _receiver.Url("flaky") && d.GetProperty("state").GetString() == "raised")
            .GetProperty("attempts").GetInt32().ShouldBe(2);
        deliveries.Where(d => d.GetProperty("url").GetString() == _receiver.Url("ops")).Select(d => d.GetProperty("attempts").GetInt32()).ShouldBe([1, 1]);
        log.GetProperty("receivers").EnumerateArray().ShouldAllBe(r => r.GetProperty("pending").GetInt32() == 0);

        using var metrics = await _http.GetAsync("/metrics");
        var exposition = await metrics.Content.ReadAsStringAsync();
        exposition.Split('\n').ShouldContain(l => l.StartsWith("cluster_alerts_deliveries_total{", StringComparison.Ordinal) && l.Contains("outcome=\"delivered\"") && l.Contains("state=\"raised\""));
    }
}
