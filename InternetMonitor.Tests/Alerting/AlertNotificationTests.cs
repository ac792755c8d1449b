using InternetMonitor.Probe.Alerting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Alerting;

/// <summary>What tells an alert apart (its identity), and what is kept of a sender's texts.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class AlertNotificationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_alert_with_a_fingerprint_is_told_apart_by_it()
    {
        var (alerts, _) = AlertNotification.From(Webhook(("A", "fp1"), ("B", "fp1")), Start);

        Assert.Equal("fp:fp1", alerts[0].Identity);
        Assert.True(alerts[0].SameAs(alerts[1])); // Alertmanager's fingerprint already hashes the labels
    }

    [Fact]
    public void Alerts_without_a_fingerprint_are_told_apart_by_their_labels_in_name_order()
    {
        var first = AlertNotification.From(Webhook(("A", null)), Start).Alerts[0];
        var second = AlertNotification.From(Webhook(("B", null)), Start).Alerts[0];
        var reordered = AlertNotification.From(new AlertmanagerWebhook
        {
            Status = "firing",
            Alerts = [new AlertmanagerAlert { Labels = new Dictionary<string, string?> { ["zone"] = "home", ["alertname"] = "A" }, StartsAt = Start }],
        }, Start).Alerts[0];
        var ordered = AlertNotification.From(new AlertmanagerWebhook
        {
            Status = "firing",
            Alerts = [new AlertmanagerAlert { Labels = new Dictionary<string, string?> { ["alertname"] = "A", ["zone"] = "home" }, StartsAt = Start }],
        }, Start).Alerts[0];

        Assert.False(first.SameAs(second));
        Assert.Equal("labels:{\"alertname\":\"A\"}", first.Identity);
        Assert.Equal(ordered.Identity, reordered.Identity);
    }

    [Fact]
    public void Labels_are_capped_in_number_and_length_and_the_name_and_severity_always_kept()
    {
        // Names that sort before "alertname": without a rule of its own, the cap would leave the alert nameless.
        var labels = Enumerable.Range(0, 100).ToDictionary(i => $"Label{i:000}", i => (string?)new string('v', 5000));
        labels["alertname"] = "Many";
        labels["severity"] = "warning";
        var (alerts, problem) = AlertNotification.From(new AlertmanagerWebhook { Status = "firing", Alerts = [new AlertmanagerAlert { Labels = labels, StartsAt = Start }] }, Start);

        Assert.Null(problem);
        var alert = Assert.Single(alerts);
        Assert.Equal(AlertNotification.MaxLabels, alert.Labels.Count);
        Assert.Equal("Many", alert.AlertName);
        Assert.Equal("warning", alert.Severity);
        Assert.All(alert.Labels.Values, value => Assert.True(value.Length <= AlertNotification.MaxTextLength));
    }

    [Fact]
    public void A_fingerprint_can_never_equal_another_alerts_labels()
    {
        var labelled = AlertNotification.From(Webhook(("A", null)), Start).Alerts[0];
        var forged = AlertNotification.From(Webhook(("B", labelled.Identity)), Start).Alerts[0];

        Assert.NotEqual(labelled.Identity, forged.Identity);
    }

    private static AlertmanagerWebhook Webhook(params (string Name, string? Fingerprint)[] alerts) => new()
    {
        Status = "firing",
        Alerts = [.. alerts.Select(alert => new AlertmanagerAlert { Labels = new Dictionary<string, string?> { ["alertname"] = alert.Name }, StartsAt = Start, Fingerprint = alert.Fingerprint })],
    };
}
