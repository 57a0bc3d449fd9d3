using Cluster.Alerts;
using Cluster.Drift;
using Cluster.Grains;
using Cluster.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Shouldly;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// Alert delivery on a two-silo cluster whose grains, and so Polly's backoff, run on a fake clock,
/// sending to a receiver in this process. Each test uses its own receivers and alert ids.
/// </summary>
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    private const string Secret = "s3cret";
    private readonly FakeClock _clock = new();
    private readonly TemporaryRepository _repository = new();
    private InProcessTestCluster _cluster = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var builder = FakeTimeClusterFixture.CreateBuilder(2, _clock, _repository.Root, silo => new FakeModelRuntime(silo, _clock.Provider));
        builder.ConfigureHost(host => host.Configuration[$"{AlertDeliveryOptions.SectionName}:MaxAttempts"] = "3");
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _receiver.DisposeAsync();
        _repository.Dispose();
    }

    private IAlertWebhooksGrain Webhooks(IGrainFactory? grains = null) => (grains ?? _cluster.Client).GetGrain<IAlertWebhooksGrain>(GrainKeys.Registry);

    private AlertTransition Raised(string model, string kind = "p99_latency_ms") =>
        AlertTransitions.From(new ModelAlert(model, "1", kind, 50, 80, _clock.Now, null));

    private async Task<AlertDeliveryLog> Log(string name) =>
        await _cluster.Client.GetGrain<IAlertDeliveryGrain>(new AlertReceiver(_receiver.Url(name), null).Id).GetLog();

    private Task Delivered(string name, int count) =>
        Eventually.Until(async () => (await Log(name)).Recent.Length == count, $"{count} deliveries logged for {name}");

    [Fact]
    public async Task ATransitionReportedThroughEverySiloReachesEachReceiverOnceSigned()
    {
        await Webhooks().SetReceivers([new AlertReceiver(_receiver.Url("signed"), Secret), new AlertReceiver(_receiver.Url("plain"), null)]);
        var transition = Raised(FakeTimeClusterFixture.Unique("once"));

        // Every silo (and the client) reports the same transition three times, all at once.
        var factories = _cluster.Silos.Select(s => _cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<IGrainFactory>()).Append(_cluster.Client).ToArray();
        factories.Length.ShouldBe(3);
        await Task.WhenAll(factories.SelectMany(f => Enumerable.Range(0, 3).Select(_ => Webhooks(f).Notify(transition))));

        await Delivered("signed", 1);
        await Delivered("plain", 1);
        var signed = _receiver.For("signed").ShouldHaveSingleItem();
        var plain = _receiver.For("plain").ShouldHaveSingleItem();
        signed.Header(WebhookSender.DeliveryHeader).ShouldBe(transition.Id);
        signed.Header(WebhookSigningHandler.AttemptHeader).ShouldBe("1");
        signed.Header(WebhookSignature.TimestampHeader).ShouldBe(_clock.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "stamped by the fake clock");
        WebhookSignature.Verify(Secret, signed.Header(WebhookSignature.TimestampHeader), signed.Header(WebhookSignature.SignatureHeader), signed.Body, _clock.Now, TimeSpan.FromMinutes(5)).ShouldBeTrue();
        WebhookSignature.Verify("wrong", signed.Header(WebhookSignature.TimestampHeader), signed.Header(WebhookSignature.SignatureHeader), signed.Body, _clock.Now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
        plain.Headers.ShouldNotContainKey(WebhookSignature.SignatureHeader);
        plain.Body.ShouldBe(signed.Body);
        var json = signed.Json;
        json.GetProperty("id").GetString().ShouldBe(transition.Id);
        json.GetProperty("state").GetString().ShouldBe("raised");
        json.GetProperty("model").GetString().ShouldBe(transition.Model);
        json.GetProperty("kind").GetString().ShouldBe("p99_latency_ms");
        json.GetProperty("value").GetDouble().ShouldBe(80);
        json.GetProperty("threshold").GetDouble().ShouldBe(50);

        var log = (await Log("signed")).Recent.ShouldHaveSingleItem();
        (log.Delivered, log.Attempts, log.StatusCode, log.Transition.Id).ShouldBe((true, 1, 200, transition.Id));
    }

    [Fact]
    public async Task FailedAttemptsAreRetriedWithExponentialBackoffOnTheInjectedClock()
    {
        await Webhooks().SetReceivers([new AlertReceiver(_receiver.Url("flaky"), Secret)]);
        _receiver.AnswerNext("flaky", 500, 503);
        var transition = Raised(FakeTimeClusterFixture.Unique("retry"));
        var started = _clock.Now;

        await Webhooks().Notify(transition);
        await Eventually.Until(() => Task.FromResult(_receiver.For("flaky").Count == 1), "the first attempt");
        (await Eventually.Holds(() => Task.FromResult(_receiver.For("flaky").Count > 1), TimeSpan.FromMilliseconds(500))).ShouldBeFalse("the retry waits for the backoff");

        await _clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Until(() => Task.FromResult(_receiver.For("flaky").Count == 2), "the first retry, 1 s later");
        // Besides checking the backoff, the wait lets the sender read the 503 and set its 2 s timer before the clock moves:
        // advanced sooner, the timer would start after the jump and the third attempt would never come.
        (await Eventually.Holds(() => Task.FromResult(_receiver.For("flaky").Count > 2), TimeSpan.FromMilliseconds(500))).ShouldBeFalse("the second retry waits for its backoff");
        await _clock.Advance(TimeSpan.FromSeconds(2));
        await Delivered("flaky", 1);

        var attempts = _receiver.For("flaky");
        attempts.Select(a => a.Answered).ShouldBe([500, 503, 200]);
        attempts.Select(a => a.Header(WebhookSigningHandler.AttemptHeader)).ShouldBe(["1", "2", "3"]);
        attempts.Select(a => long.Parse(a.Header(WebhookSignature.TimestampHeader), System.Globalization.CultureInfo.InvariantCulture) - started.ToUnixTimeSeconds())
            .ShouldBe([0L, 1L, 3L], "each attempt is signed afresh at its own time");
        attempts.ShouldAllBe(a => WebhookSignature.Verify(Secret, a.Header(WebhookSignature.TimestampHeader), a.Header(WebhookSignature.SignatureHeader), a.Body, _clock.Now, TimeSpan.FromMinutes(5)));
        attempts.Select(a => a.Header(WebhookSender.DeliveryHeader)).Distinct().ShouldHaveSingleItem().ShouldBe(transition.Id);
        var log = (await Log("flaky")).Recent.ShouldHaveSingleItem();
        (log.Delivered, log.Attempts, log.StatusCode).ShouldBe((true, 3, 200));
    }

    [Fact]
    public async Task AReceiverThatKeepsFailingIsLoggedAsFailedAndTheQueueMovesOnInOrder()
    {
        await Webhooks().SetReceivers([new AlertReceiver(_receiver.Url("down"), null), new AlertReceiver(_receiver.Url("refusing"), null)]);
        _receiver.AnswerNext("down", 500, 500, 500);
        _receiver.AnswerNext("refusing", 401);
        var model = FakeTimeClusterFixture.Unique("fail");
        var raised = new ModelAlert(model, "1", "error_rate", 0.01, 0.5, _clock.Now, null);
        var first = AlertTransitions.From(raised);
        var cleared = AlertTransitions.From(raised with { Value = 0.001, ClearedAt = _clock.Now.AddSeconds(1) });

        await Webhooks().Notify(first);
        await Webhooks().Notify(cleared);
        await Delivered("refusing", 2);
        await Eventually.Until(() => Task.FromResult(_receiver.For("down").Count == 1), "the first attempt");
        await _clock.AdvanceUntil(async () => (await Log("down")).Recent.Length == 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), "both transitions finished");

        var down = (await Log("down")).Recent;
        down.Select(d => (d.Transition.State, d.Delivered, d.Attempts, d.StatusCode)).ShouldBe([("cleared", true, 1, (int?)200), ("raised", false, 3, (int?)500)], "newest first; the clear waited for the raise");
        _receiver.For("down").Select(r => r.Json.GetProperty("state").GetString()).ShouldBe(["raised", "raised", "raised", "cleared"]);
        var refused = (await Log("refusing")).Recent;
        refused.Select(d => (d.Transition.State, d.Delivered, d.Attempts, d.StatusCode)).ShouldBe([("cleared", true, 1, (int?)200), ("raised", false, 1, (int?)401)], "a 401 is not retried");
        cleared.AlertId.ShouldBe(first.AlertId);
        cleared.Id.ShouldNotBe(first.Id);
    }
}
