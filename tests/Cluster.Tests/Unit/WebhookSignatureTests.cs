using System.Text;
using System.Text.Json;
using Cluster.Alerts;
using Cluster.Drift;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"x"}""");

    [Fact]
    public void TheSignatureIsTheHmacOfTimestampDotBody()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes($"{timestamp}.{{\"id\":\"x\"}}")));

        WebhookSignature.Sign("k", timestamp, Body).ShouldBe("sha256=" + expected);
    }

    [Fact]
    public void VerifyRefusesAnotherSecretAChangedBodyAMovedTimestampAndAnOldOne()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign("k", timestamp, Body);
        var stamp = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tolerance = TimeSpan.FromMinutes(5);

        WebhookSignature.Verify("k", stamp, signature, Body, Now.AddMinutes(4), tolerance).ShouldBeTrue();
        WebhookSignature.Verify("other", stamp, signature, Body, Now, tolerance).ShouldBeFalse();
        WebhookSignature.Verify("k", stamp, signature, Encoding.UTF8.GetBytes("""{"id":"y"}"""), Now, tolerance).ShouldBeFalse();
        WebhookSignature.Verify("k", (timestamp + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), signature, Body, Now, tolerance).ShouldBeFalse("the timestamp is signed");
        WebhookSignature.Verify("k", stamp, signature, Body, Now.AddMinutes(6), tolerance).ShouldBeFalse("a replay after the tolerance");
        WebhookSignature.Verify("k", stamp, "sha256=zz", Body, Now, tolerance).ShouldBeFalse();
        WebhookSignature.Verify("k", null, signature, Body, Now, tolerance).ShouldBeFalse();
    }

    [Fact]
    public void ATransitionsIdsFollowTheAlertAndThePayloadCarriesIt()
    {
        var alert = new ModelAlert("m", "2", "drift_score", 0.25, 0.7, Now, null);
        var raised = AlertTransitions.From(alert);
        var again = AlertTransitions.From(alert with { Value = 0.9 });
        var cleared = AlertTransitions.From(alert with { Value = 0.1, ClearedAt = Now.AddMinutes(3) });
        var later = AlertTransitions.From(alert with { RaisedAt = Now.AddHours(1) });

        again.Id.ShouldBe(raised.Id, "the same transition, reported again");
        cleared.AlertId.ShouldBe(raised.AlertId);
        cleared.Id.ShouldBe(raised.AlertId + ".cleared");
        later.AlertId.ShouldNotBe(raised.AlertId, "a new episode is a new alert");

        using var json = JsonDocument.Parse(WebhookPayload.Serialize(cleared));
        var root = json.RootElement;
        root.GetProperty("id").GetString().ShouldBe(cleared.Id);
        root.GetProperty("alert_id").GetString().ShouldBe(raised.AlertId);
        root.GetProperty("state").GetString().ShouldBe("cleared");
        (root.GetProperty("model").GetString(), root.GetProperty("version").GetString(), root.GetProperty("kind").GetString()).ShouldBe(("m", "2", "drift_score"));
        root.GetProperty("value").GetDouble().ShouldBe(0.1);
        root.GetProperty("threshold").GetDouble().ShouldBe(0.25);
        root.GetProperty("raised_at").GetDateTimeOffset().ShouldBe(Now);
        root.GetProperty("cleared_at").GetDateTimeOffset().ShouldBe(Now.AddMinutes(3));
        root.GetProperty("time").GetDateTimeOffset().ShouldBe(Now.AddMinutes(3));
        JsonDocument.Parse(WebhookPayload.Serialize(raised)).RootElement.GetProperty("cleared_at").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
