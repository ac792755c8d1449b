using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Alerting;

/// <summary>
/// Each firing and each resolution kept, counted and logged exactly once: a notification repeated or sent again (also
/// after the probe restarted, also twice at the same moment) adds nothing, and alerts that differ only in their labels
/// are each kept.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed partial class AlertDeduplicationTests
{
    [Fact]
    public async Task The_same_notification_posted_twice_is_kept_counted_and_logged_once()
    {
        await using var exposed = await ExposedProbe.StartAsync();
        var notification = Notification(("Twice", "fp-twice"));

        Assert.Equal(1, await PostAsync(exposed, notification));
        Assert.Equal(0, await PostAsync(exposed, notification));

        // A later alert's line: the console writes in order, so any second line of the first is in by then.
        Assert.Equal(1, await PostAsync(exposed, Notification(("Marker", "fp-marker"))));
        await exposed.Probe.WaitForLogAsync("Alert FIRING Marker", TestContext.Current.CancellationToken);
        var metrics = await exposed.Probe.WaitForAsync(m => m.Value("internet_monitor_alerts_received_total", ("alertname", "Marker"), ("status", "firing")) == 1, "the marker counted", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, metrics.Value("internet_monitor_alerts_received_total", ("alertname", "Twice"), ("status", "firing")));
        Assert.Single(exposed.Probe.Log.Split('\n'), line => line.Contains("Alert FIRING Twice", StringComparison.Ordinal));
        Assert.Equal(["Marker", "Twice"], (await KeptAsync(exposed)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Alerts_without_a_fingerprint_that_differ_in_name_but_began_together_are_both_kept()
    {
        await using var exposed = await ExposedProbe.StartAsync();

        Assert.Equal(2, await PostAsync(exposed, Notification(("First", null), ("Second", null))));
        Assert.Equal(0, await PostAsync(exposed, Notification(("First", null), ("Second", null))));

        Assert.Equal(["First", "Second"], (await KeptAsync(exposed)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_notification_sent_again_after_a_restart_is_not_new()
    {
        var folder = Directory.CreateTempSubdirectory("im-exposed-").FullName;
        try
        {
            var notification = Notification(("Restarted", "fp-restart"));
            await using (var before = await ExposedProbe.StartAsync(folder: folder))
            {
                Assert.Equal(1, await PostAsync(before, notification));
            }

            await using var after = await ExposedProbe.StartAsync(folder: folder);
            Assert.Equal(0, await PostAsync(after, notification));
            Assert.Equal(1, await PostAsync(after, Notification(("Marker", "fp-marker"))));
            await after.Probe.WaitForLogAsync("Alert FIRING Marker", TestContext.Current.CancellationToken); // the console writes in order

            var metrics = await after.Probe.WaitForAsync(m => m.Value("internet_monitor_alerts_received_total", ("alertname", "Marker"), ("status", "firing")) == 1, "the marker counted", cancellationToken: TestContext.Current.CancellationToken);
            Assert.Null(metrics.Value("internet_monitor_alerts_received_total", ("alertname", "Restarted"), ("status", "firing")));
            Assert.DoesNotContain("Alert FIRING Restarted", after.Probe.Log, StringComparison.Ordinal);
            Assert.Equal(["Marker", "Restarted"], (await KeptAsync(after)).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_same_notification_posted_eight_times_at_once_is_new_once()
    {
        await using var exposed = await ExposedProbe.StartAsync();
        var notification = Notification(("AtOnce", "fp-at-once"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(exposed, notification)));

        Assert.Equal(1, answers.Sum());
        Assert.Single(await KeptAsync(exposed));
    }

    private static string Notification(params (string Name, string? Fingerprint)[] alerts) => JsonSerializer.Serialize(new
    {
        status = "firing",
        alerts = alerts.Select(alert => alert.Fingerprint is null
            ? (object)new { labels = new Dictionary<string, string> { ["alertname"] = alert.Name }, startsAt = "2026-11-30T10:00:00Z" }
            : new { labels = new Dictionary<string, string> { ["alertname"] = alert.Name }, startsAt = "2026-11-30T10:00:00Z", fingerprint = alert.Fingerprint }),
    });

    /// <summary>Posts <paramref name="notification"/> as Alertmanager does; returns how many alerts the probe said were new.</summary>
    private static async Task<int> PostAsync(ExposedProbe exposed, string notification)
    {
        using var content = new StringContent(notification, Encoding.UTF8, "application/json");
        using var response = await exposed.Local.PostAsync(new Uri("/api/alerts", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return int.Parse(NewCount().Match(text).Groups["new"].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> KeptAsync(ExposedProbe exposed)
    {
        using var rows = JsonDocument.Parse(await exposed.Local.GetStringAsync(new Uri("/api/history/alerts?from=2026-11-01T00:00:00Z", UriKind.Relative), TestContext.Current.CancellationToken));
        return [.. rows.RootElement.EnumerateArray().Select(row => row.GetProperty("alertName").GetString()!)];
    }

    [GeneratedRegex(@"(?<new>\d+) new")]
    private static partial Regex NewCount();
}
