using Cluster.Drift;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class AlertTrackerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void AnAlertRaisesAboveItsThresholdAndClearsOnlyWellBelowIt()
    {
        var alerts = new List<ModelAlert>();

        AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, 0.05, Now).ShouldBeNull();
        AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, 0.2, Now)!.Value.Raised.ShouldBeTrue();
        AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, 0.3, Now).ShouldBeNull("raised once, not again");
        AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, 0.09, Now).ShouldBeNull("just under the threshold does not clear: hysteresis");
        AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, null, Now).ShouldBeNull("no reading changes nothing");
        alerts.Single().IsActive.ShouldBeTrue();
        alerts.Single().Value.ShouldBe(0.09);

        var cleared = AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, 0.07, Now.AddMinutes(1))!.Value;
        cleared.Raised.ShouldBeFalse();
        cleared.Alert.ClearedAt.ShouldBe(Now.AddMinutes(1));
        cleared.Alert.Value.ShouldBe(0.07, "the reading that cleared it");
        AlertTracker.Update(alerts, "m", "1", "error_rate", 0.1, 0.5, Now.AddMinutes(2))!.Value.Raised.ShouldBeTrue("a new episode is a new alert");
        var raisedThreshold = AlertTracker.Update(alerts, "m", "1", "error_rate", 1, 0.5, Now.AddMinutes(3))!.Value.Alert;
        (raisedThreshold.IsActive, raisedThreshold.Value, raisedThreshold.Threshold).ShouldBe((false, 0.5, 1.0), "cleared by a higher limit, which it reports");
        alerts.Count.ShouldBe(2);
    }

    [Fact]
    public void RemovingTheThresholdClearsTheAlert()
    {
        var alerts = new List<ModelAlert>();
        AlertTracker.Update(alerts, "m", "1", "drift_score", 0.25, 1, Now);
        AlertTracker.Update(alerts, "m", "1", "drift_score", null, 1, Now)!.Value.Raised.ShouldBeFalse();
        alerts.ShouldAllBe(a => !a.IsActive);
    }
}
