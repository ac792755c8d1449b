using System.Net;
using System.Text;
using System.Text.Json;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Alerting;

/// <summary>
/// Alert text written to attack whoever reads it (ESC sequences that retitle a terminal, NUL, VT, a name of 10 KB) and
/// query values that echo back: cleaned and capped before they reach the probe's console log, /metrics, the history and
/// an answer.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class HostileAlertTests
{
    private const string Hostile = "Line\u001b]0;owned\u0007\u001b[2J\u0000\u000bDown\u202e";

    /// <summary><see cref="Hostile"/> without its control characters: what is left of an escape sequence is harmless text.</summary>
    private const string Cleaned = "Line]0;owned[2JDown";

    [Fact]
    public async Task Control_characters_and_a_10_kb_name_reach_no_log_line_label_or_page_raw()
    {
        await using var exposed = await ExposedProbe.StartAsync();
        var huge = new string('x', 10_000);
        var body = JsonSerializer.Serialize(new
        {
            status = "firing",
            alerts = new object[]
            {
                new { labels = new Dictionary<string, string> { ["alertname"] = Hostile, ["severity"] = "critical\u001b[31m" }, annotations = new Dictionary<string, string> { ["summary"] = "sum\u001bmary " + huge }, startsAt = "2026-11-30T10:00:00Z", fingerprint = "f1" },
                new { labels = new Dictionary<string, string> { ["alertname"] = huge }, annotations = new Dictionary<string, string>(), startsAt = "2026-11-30T10:00:00Z", fingerprint = "f2" },
            },
        });

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await exposed.Local.PostAsync(new Uri("/api/alerts", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The console log: one line per alert, no control character, short.
        await exposed.Probe.WaitForLogAsync($"Alert FIRING {Cleaned}", TestContext.Current.CancellationToken);
        await exposed.Probe.WaitForLogAsync("Alert FIRING xxx", TestContext.Current.CancellationToken);
        foreach (var line in exposed.Probe.Log.Split('\n').Where(line => line.Contains("Alert FIRING", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line.TrimEnd('\r'), character => char.IsControl(character) || character == '\u202e');
            Assert.True(line.Length < 1_500, $"a log line of {line.Length} characters");
        }

        // /metrics: the cleaned name as its label, the long one as "other".
        var metrics = await exposed.Probe.WaitForAsync(m => m.Value("internet_monitor_alerts_received_total", ("alertname", Cleaned), ("status", "firing")) == 1
            && m.Value("internet_monitor_alerts_received_total", ("alertname", "other"), ("status", "firing")) == 1, "both alerts counted", cancellationToken: TestContext.Current.CancellationToken);
        Assert.DoesNotContain('\u001b', metrics.Text);

        // The history and the alert log: cleaned, capped.
        var kept = await exposed.Local.GetStringAsync(new Uri("/api/history/alerts?from=2026-11-01T00:00:00Z", UriKind.Relative), TestContext.Current.CancellationToken);
        using var rows = JsonDocument.Parse(kept);
        var names = rows.RootElement.EnumerateArray().Select(row => row.GetProperty("alertName").GetString()!).ToList();
        Assert.Contains(Cleaned, names);
        Assert.Contains(names, name => name.Length == AlertNotification.MaxNameLength && name.EndsWith('…'));
        var summaries = rows.RootElement.EnumerateArray().Select(row => row.GetProperty("summary").GetString()!).ToList();
        Assert.All(summaries, summary => Assert.True(summary.Length <= AlertNotification.MaxTextLength && !summary.Any(char.IsControl)));
        var recent = await exposed.Local.GetStringAsync(new Uri("/api/alerts", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("\\u001b", recent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(huge, recent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_value_echoed_in_a_refusal_is_cleaned_and_short()
    {
        await using var exposed = await ExposedProbe.StartAsync();
        var value = Uri.EscapeDataString("\u001b]0;owned\u0007" + new string('9', 5_000));

        foreach (var path in (string[])[$"/api/history/latency?from={value}", $"/api/history/outages?limit={value}", $"/api/history/alerts?format={value}"])
        {
            using var response = await exposed.Remote.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain(text.TrimEnd('\n'), char.IsControl);
            Assert.True(text.Length < 400, $"a refusal of {text.Length} characters: {text[..Math.Min(200, text.Length)]}");
        }
    }
}
