using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// The rendered Alertmanager configuration run by the real Alertmanager on loopback: an alert reaches the probe's
/// alert log and every receiver (each one's far end is a loopback server standing in for Slack, Telegram, ntfy, a
/// webhook and an SMTP server), and an outage's alert silences the alerts it explains.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class AlertmanagerLiveTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_firing_alert_reaches_the_probes_alert_log_and_every_receiver_switched_on()
    {
        await using var probe = await ProbeHost.StartAsync("--Monitor:AlertLog:Token=alert-log-token-value");
        await using var sinks = await CaptureServer.StartAsync();
        sinks.Reply = ("application/json", """{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":-1001234,"type":"group"}}}""");
        await using var smtp = new SmtpSink();
        var options = AlertmanagerConfigTests.AllReceivers(sinks.Url, smtp.Port);
        options.AlertLogUrl = new Uri(ProbeHost.BaseAddress(probe), "/api/alerts");
        await using var alertmanager = await StartAlertmanagerAsync(options, AlertmanagerConfigTests.Secrets(slackUrl: new Uri(sinks.Url, "/slack").ToString()));
        using var client = new HttpClient { BaseAddress = alertmanager.Url };

        await PostAlertsAsync(client, Alert("InternetDown", "critical", "probe:8000", "Internet down (cause internet)"));

        using var probeClient = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };
        var logged = await WaitForAlertLogAsync(probeClient, "InternetDown");
        Assert.Equal("firing", logged["status"]!.GetValue<string>());
        Assert.Equal("critical", logged["severity"]!.GetValue<string>());
        Assert.Equal("Internet down (cause internet)", logged["summary"]!.GetValue<string>());
        Assert.Equal("notify", logged["receiver"]!.GetValue<string>());
        var metrics = await ProbeHost.ScrapeAsync(probe);
        Assert.Equal(1, metrics.Value("internet_monitor_alerts_received_total", ("alertname", "InternetDown"), ("status", "firing")));

        var slack = await sinks.WaitForAsync(r => r.Path == "/slack", Deadline, "the Slack message");
        Assert.Contains("[FIRING:1] InternetDown at home", slack.Text, StringComparison.Ordinal);
        Assert.Contains("#internet", slack.Text, StringComparison.Ordinal);
        var telegram = await sinks.WaitForAsync(r => r.Path == "/bot123456:secret-telegram-token/sendMessage", Deadline, "the Telegram message");
        Assert.Contains("Internet down (cause internet)", telegram.Text, StringComparison.Ordinal);
        Assert.Contains("-1001234", telegram.Text, StringComparison.Ordinal);
        var ntfy = await sinks.WaitForAsync(r => r.Path == "/internet-alerts", Deadline, "the ntfy message");
        Assert.Contains("tpl=1", ntfy.Query, StringComparison.Ordinal);
        Assert.Contains("p=5", ntfy.Query, StringComparison.Ordinal);
        Assert.Equal("Bearer tk_secretntfytoken", ntfy.Headers["Authorization"]);
        Assert.Equal("InternetDown", JsonNode.Parse(ntfy.Body)!["commonLabels"]!["alertname"]!.GetValue<string>());
        var webhook = await sinks.WaitForAsync(r => r.Path == "/hook", Deadline, "the webhook notification");
        Assert.Equal("Bearer secret-webhook-token", webhook.Headers["Authorization"]);
        Assert.Equal("firing", JsonNode.Parse(webhook.Body)!["status"]!.GetValue<string>());

        var mail = await WaitForMailAsync(smtp);
        Assert.Equal("<monitor@example.test>", mail.From);
        Assert.Equal(["<home@example.test>"], mail.To);
        Assert.Contains("Subject: [FIRING:1] InternetDown at home", mail.Data, StringComparison.Ordinal);
        Assert.Contains("Internet down (cause internet)", mail.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_network_down_silences_internet_down_and_what_it_explains_for_the_same_probe_only()
    {
        Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
        await using var sink = await CaptureServer.StartAsync();
        var options = new AlertingOptions { AlertLogUrl = new Uri(sink.Url, "/api/alerts") };
        await using var alertmanager = await StartAlertmanagerAsync(options, new SecretReader(_ => null));
        using var client = new HttpClient { BaseAddress = alertmanager.Url };

        await PostAlertsAsync(
            client,
            Alert("LocalNetworkDown", "critical", "probe:8000", "Gateway down"),
            Alert("InternetDown", "critical", "probe:8000", "Internet down (cause local)"),
            Alert("HighLatency", "warning", "probe:8000", "High latency to cloudflare"),
            Alert("HighLatency", "warning", "office-probe:8000", "High latency to cloudflare"),
            Alert("DownloadBelowMinimum", "warning", "office-probe:8000", "Download below the minimum", direction: "download"),
            Alert("DownloadBelowPlan", "warning", "office-probe:8000", "Download below the plan", direction: "download"),
            Alert("UploadBelowPlan", "warning", "office-probe:8000", "Upload below the plan", direction: "upload"));

        var states = await AlertsSuppressedAsync(client, "instance", 7, 3);

        Assert.Equal("active", states[("LocalNetworkDown", "probe:8000")]);
        Assert.Equal("suppressed", states[("InternetDown", "probe:8000")]);
        Assert.Equal("suppressed", states[("HighLatency", "probe:8000")]);
        Assert.Equal("active", states[("HighLatency", "office-probe:8000")]);

        // Below the minimum silences below the plan in its own direction only.
        Assert.Equal("active", states[("DownloadBelowMinimum", "office-probe:8000")]);
        Assert.Equal("suppressed", states[("DownloadBelowPlan", "office-probe:8000")]);
        Assert.Equal("active", states[("UploadBelowPlan", "office-probe:8000")]);
    }

    private static async Task<WebServerProcess> StartAlertmanagerAsync(AlertingOptions options, SecretReader secrets)
    {
        var folder = Directory.CreateTempSubdirectory("im-alertmanager-").FullName;
        var errors = ObservabilityRenderer.Render(Repository.PathOf("observability"), folder, options, new(AlertmanagerTarget.Debian12, Path.Combine(folder, "alertmanager")), secrets);
        Assert.Empty(errors);
        return await WebServerProcess.StartAlertmanagerAsync(Path.Combine(folder, "alertmanager", "alertmanager.yml"), folder);
    }

    [Fact]
    public async Task A_silent_site_silences_its_own_alerts_only_at_the_central_alertmanager()
    {
        Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
        await using var sink = await CaptureServer.StartAsync();
        var options = new AlertingOptions { AlertLogUrl = new Uri(sink.Url, "/api/alerts") };
        await using var alertmanager = await StartAlertmanagerAsync(options, new SecretReader(_ => null));
        using var client = new HttpClient { BaseAddress = alertmanager.Url };

        // Both sites' probes have the same address in their own compose projects: the site tells them apart.
        await PostAlertsAsync(
            client,
            new JsonObject
            {
                ["labels"] = new JsonObject { ["alertname"] = "SiteSilent", ["severity"] = "critical", ["site"] = "home" },
                ["annotations"] = new JsonObject { ["summary"] = "Site home is silent", ["description"] = "For a test.", ["runbook_url"] = "docs/runbooks.md#sitesilent" },
                ["startsAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("o"),
            },
            Alert("InternetDown", "critical", "127.0.0.1:8000", "Internet down", site: "home"),
            Alert("HighLatency", "warning", "127.0.0.1:8000", "High latency", site: "home"),
            Alert("InternetDown", "critical", "127.0.0.1:8000", "Internet down", site: "office"));

        var states = await AlertsSuppressedAsync(client, "site", 4, 2);

        Assert.Equal("active", states[("SiteSilent", "home")]);
        Assert.Equal("suppressed", states[("InternetDown", "home")]);
        Assert.Equal("suppressed", states[("HighLatency", "home")]);
        Assert.Equal("active", states[("InternetDown", "office")]);
    }

    /// <summary>Each alert's state (active, suppressed) by its name and <paramref name="label"/>, once <paramref name="count"/> are there and <paramref name="suppressed"/> of them suppressed.</summary>
    private static Task<Dictionary<(string Name, string By), string>> AlertsSuppressedAsync(HttpClient client, string label, int count, int suppressed) =>
        Poll.UntilAsync(
            async () =>
            {
                using var alerts = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/v2/alerts", UriKind.Relative), TestContext.Current.CancellationToken));
                return alerts.RootElement.EnumerateArray().ToDictionary(
                    alert => (alert.GetProperty("labels").GetProperty("alertname").GetString()!, alert.GetProperty("labels").GetProperty(label).GetString()!),
                    alert => alert.GetProperty("status").GetProperty("state").GetString()!);
            },
            seen => seen.Count == count && seen.Values.Count(state => state == "suppressed") == suppressed,
            $"{count} alerts, {suppressed} of them suppressed",
            Deadline,
            TimeSpan.FromMilliseconds(200),
            explain: seen => Task.FromResult($"states: {string.Join(", ", seen)}"));

    private static JsonObject Alert(string name, string severity, string instance, string summary, string site = "home", string? direction = null) => new()
    {
        ["labels"] = direction is null
            ? new JsonObject { ["alertname"] = name, ["severity"] = severity, ["instance"] = instance, ["job"] = "internet-monitor", ["site"] = site }
            : new JsonObject { ["alertname"] = name, ["severity"] = severity, ["instance"] = instance, ["job"] = "internet-monitor", ["site"] = site, ["direction"] = direction },
        ["annotations"] = new JsonObject { ["summary"] = summary, ["description"] = summary + ", for a test.", ["runbook_url"] = "docs/runbooks.md#" + name.ToLowerInvariant() },
        ["startsAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("o"),
    };

    private static async Task PostAlertsAsync(HttpClient client, params JsonObject[] alerts)
    {
        using var content = new StringContent(new JsonArray(alerts).ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("api/v2/alerts", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<JsonNode> WaitForAlertLogAsync(HttpClient probe, string name) =>
        (await Poll.UntilAsync(
            async () => (await probe.GetFromJsonAsync<JsonArray>(new Uri("api/alerts", UriKind.Relative), TestContext.Current.CancellationToken))!
                .FirstOrDefault(alert => alert!["alertName"]!.GetValue<string>() == name),
            alert => alert is not null,
            $"{name} reaching the probe's alert log",
            Deadline,
            TimeSpan.FromMilliseconds(200)))!;

    private static async Task<(string From, IReadOnlyList<string> To, string Data)> WaitForMailAsync(SmtpSink smtp)
    {
        await Poll.UntilAsync(() => smtp.Messages.TryPeek(out _), "an email reaching the SMTP server", Deadline);

        smtp.Messages.TryPeek(out var message);
        return message;
    }
}
