using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Alerting;

/// <summary>The probe's alert log (<c>/api/alerts</c>) in process: what it keeps, what it refuses and why.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class AlertLogTests
{
    private const string Notification = """
        {"version":"4","status":"firing","receiver":"notify","externalURL":"http://alertmanager:9093","alerts":[
          {"status":"firing","labels":{"alertname":"HighLatency","severity":"warning","target":"cloudflare"},
           "annotations":{"summary":"High latency to cloudflare","description":"p90 194.6 ms"},
           "startsAt":"2026-11-25T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"a1"},
          {"status":"resolved","labels":{"alertname":"InternetDown","severity":"critical"},
           "annotations":{"summary":"Internet down"},
           "startsAt":"2026-11-25T09:00:00Z","endsAt":"2026-11-25T09:05:00Z","fingerprint":"b2"}]}
        """;

    [Fact]
    public async Task Keeps_every_alert_of_a_notification_newest_first_and_counts_them()
    {
        await using var probe = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var response = await PostAsync(client, Notification);
        var alerts = await ListAsync(client, "api/alerts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, alerts.Count);
        var resolved = alerts[0]!;
        Assert.Equal("InternetDown", resolved["alertName"]!.GetValue<string>());
        Assert.Equal("resolved", resolved["status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T09:05:00Z", System.Globalization.CultureInfo.InvariantCulture), resolved["endsAt"]!.GetValue<DateTimeOffset>());
        var firing = alerts[1]!;
        Assert.Equal("HighLatency", firing["alertName"]!.GetValue<string>());
        Assert.Equal("p90 194.6 ms", firing["description"]!.GetValue<string>());
        Assert.Equal("cloudflare", firing["labels"]!["target"]!.GetValue<string>());
        Assert.Null(firing["endsAt"]);
        var metrics = await ProbeHost.ScrapeAsync(probe);
        Assert.Equal(1, metrics.Value("internet_monitor_alerts_received_total", ("alertname", "HighLatency"), ("status", "firing")));
        Assert.Equal(1, metrics.Value("internet_monitor_alerts_received_total", ("alertname", "InternetDown"), ("status", "resolved")));
        Assert.Equal(0, metrics.Value("internet_monitor_alert_notifications_rejected_total", ("reason", "invalid")));
        Assert.Single(await ListAsync(client, "api/alerts?limit=1"));

        // Alertmanager repeats a group's alerts in its next notifications: a repeat is neither kept nor counted again.
        using var repeat = await PostAsync(client, Notification);
        Assert.Equal("2 alerts received, 0 new", (await repeat.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Trim());
        Assert.Equal(2, (await ListAsync(client, "api/alerts")).Count);
        Assert.Equal(1, (await ProbeHost.ScrapeAsync(probe)).Value("internet_monitor_alerts_received_total", ("alertname", "HighLatency"), ("status", "firing")));
    }

    [Theory]
    [InlineData("{not json", "not an Alertmanager webhook notification")]
    [InlineData("""{"status":"firing","alerts":[]}""", "the notification has no alerts")]
    [InlineData("""{"alerts":[{"status":"pending","labels":{"alertname":"X"}}]}""", "an alert's status must be")]
    [InlineData("""{"status":"firing","alerts":[{"labels":{"severity":"info"}}]}""", "an alert has no alertname label")]
    [InlineData("null", "the body is empty")]
    [InlineData("""{"alerts":[null]}""", "an alert is null")]
    public async Task Refuses_what_is_not_a_notification_with_the_reason_and_keeps_nothing(string body, string reason)
    {
        await using var probe = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var response = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(client, "api/alerts"));
        Assert.Equal(1, (await ProbeHost.ScrapeAsync(probe)).Value("internet_monitor_alert_notifications_rejected_total", ("reason", "invalid")));
    }

    [Fact]
    public async Task With_a_token_set_a_notification_without_it_is_refused()
    {
        await using var probe = await ProbeHost.StartAsync("--Monitor:AlertLog:Token=s3cret");
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var refused = await PostAsync(client, Notification);
        using var wrong = await PostAsync(client, Notification, "wrong");
        using var accepted = await PostAsync(client, Notification, "s3cret");
        using var anyCase = new HttpRequestMessage(HttpMethod.Post, new Uri("api/alerts", UriKind.Relative)) { Content = new StringContent(Notification, Encoding.UTF8, "application/json") };
        anyCase.Headers.TryAddWithoutValidation("Authorization", "bearer s3cret");
        using var lowerCase = await client.SendAsync(anyCase, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lowerCase.StatusCode);
        Assert.Equal(2, (await ListAsync(client, "api/alerts")).Count);
        Assert.Equal(2, (await ProbeHost.ScrapeAsync(probe)).Value("internet_monitor_alert_notifications_rejected_total", ("reason", "unauthorized")));
    }

    [Fact]
    public async Task Keeps_at_most_its_capacity_and_rejects_a_bad_limit()
    {
        await using var probe = await ProbeHost.StartAsync("--Monitor:AlertLog:Capacity=3");
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        for (var i = 0; i < 4; i++)
        {
            using var response = await PostAsync(client, $$$"""{"status":"firing","alerts":[{"labels":{"alertname":"A{{{i}}}"},"fingerprint":"f{{{i}}}"}]}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var badLimit = await client.GetAsync(new Uri("api/alerts?limit=-1", UriKind.Relative), TestContext.Current.CancellationToken);
        var kept = await ListAsync(client, "api/alerts?limit=50");
        Assert.Equal(["A3", "A2", "A1"], kept.Select(alert => alert!["alertName"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task A_notification_over_1_MiB_is_refused_as_too_large_and_nulls_in_labels_are_left_out()
    {
        await using var probe = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };
        var padding = new string('x', AlertLogEndpoints.MaxBodyBytes);

        using var large = await PostAsync(client, $$$"""{"status":"firing","alerts":[{"labels":{"alertname":"X","pad":"{{{padding}}}"}}]}""");
        using var nulls = await PostAsync(client, """{"status":"firing","alerts":[{"labels":{"alertname":"Y","severity":null},"annotations":{"summary":null}}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(1, (await ProbeHost.ScrapeAsync(probe)).Value("internet_monitor_alert_notifications_rejected_total", ("reason", "too_large")));
        Assert.Equal(HttpStatusCode.OK, nulls.StatusCode);
        var kept = Assert.Single(await ListAsync(client, "api/alerts"))!;
        Assert.Equal("Y", kept["alertName"]!.GetValue<string>());
        Assert.Equal(string.Empty, kept["severity"]!.GetValue<string>());
        Assert.Null(kept["labels"]!["severity"]);
    }

    [Fact]
    public async Task Past_a_hundred_alert_names_further_ones_are_counted_as_other()
    {
        await using var probe = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        for (var i = 0; i <= AlertLogMetrics.MaxAlertNames; i++)
        {
            using var response = await PostAsync(client, $$$"""{"status":"firing","alerts":[{"labels":{"alertname":"Name{{{i}}}"},"fingerprint":"f{{{i}}}"}]}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = await ProbeHost.ScrapeAsync(probe);
        Assert.Equal(1, metrics.Value("internet_monitor_alerts_received_total", ("alertname", "Name99"), ("status", "firing")));
        Assert.Null(metrics.Value("internet_monitor_alerts_received_total", ("alertname", "Name100"), ("status", "firing")));
        Assert.Equal(1, metrics.Value("internet_monitor_alerts_received_total", ("alertname", "other"), ("status", "firing")));
    }

    [Theory]
    [InlineData(0, "", "Monitor:AlertLog:Capacity must be between 1 and 100000 (got 0)")]
    [InlineData(10, "two words", "Monitor:AlertLog:Token must not contain spaces")]
    public void Settings_are_validated(int capacity, string token, string expected)
    {
        var result = new AlertLogOptionsValidator().Validate(null, new AlertLogOptions { Capacity = capacity, Token = token });

        Assert.Equal([expected], result.Failures);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/alerts", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonArray> ListAsync(HttpClient client, string path) =>
        JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken))!.AsArray();
}
