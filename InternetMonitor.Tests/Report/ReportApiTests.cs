using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Report;

/// <summary>
/// <c>/api/report</c> and <c>/report</c> of a probe in process over the history of <see cref="KnownCampaign"/>: its
/// refusals, the campaign's figures worked out by hand, a month with nothing in it, and the CSV files its checksums name.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ReportApiTests(KnownCampaignProbe known) : IClassFixture<KnownCampaignProbe>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_month_in_the_future_is_refused_with_a_sentence_that_says_so()
    {
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, KnownCampaign.TimeZone);
        var next = new DateOnly(now.Year, now.Month, 1).AddMonths(1).ToString("yyyy'-'MM", CultureInfo.InvariantCulture);

        var (status, body) = await GetAsync($"/api/report?month={next}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"{next} is in the future: the report covers months up to the current one\n", body);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("26-11")]
    [InlineData("november")]
    [InlineData("1969-12")]
    public async Task A_malformed_month_is_refused_with_a_sentence_that_names_it(string month)
    {
        var (status, body) = await GetAsync($"/api/report?month={Uri.EscapeDataString(month)}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("month must be a calendar month as YYYY-MM", body, StringComparison.Ordinal);
        Assert.Contains($"\"{month}\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_month_and_a_campaign_together_are_refused()
    {
        var (status, body) = await GetAsync($"/api/report?month=2026-11&campaign={KnownCampaign.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("give month or campaign, not both: a report covers a calendar month or one campaign\n", body);
    }

    [Fact]
    public async Task A_campaign_the_history_does_not_hold_is_not_found()
    {
        var (status, body) = await GetAsync("/api/report?campaign=nope");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("the history holds no campaign \"nope\"\n", body);
    }

    [Fact]
    public async Task A_month_without_measurements_is_flagged_and_its_figures_are_null_not_zero()
    {
        using var report = await ReportAsync("month=2020-01");
        var root = report.RootElement;

        Assert.True(root.GetProperty("noMeasurements").GetBoolean());
        Assert.Equal("2020-01", root.GetProperty("month").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("directions").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("availability").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latency").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latencyUnderLoad").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("dns").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("paid").ValueKind);
        Assert.Contains("No measurements in January 2020.", root.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // Berlin's January: from its local midnight (23:00 UTC the day before).
        Assert.Equal(new DateTimeOffset(2019, 12, 31, 23, 0, 0, TimeSpan.Zero), root.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2020, 1, 31, 23, 0, 0, TimeSpan.Zero), root.GetProperty("to").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_campaign_report_judges_its_measurements_and_fails_the_normal_speed_in_26_of_30()
    {
        using var report = await ReportAsync($"campaign={KnownCampaign.Id}");
        var verdict = report.RootElement.GetProperty("campaign").GetProperty("verdict");

        Assert.Equal("deviation", verdict.GetProperty("outcome").GetString());
        Assert.Equal(30, verdict.GetProperty("measurements").GetInt32());
        var criteria = verdict.GetProperty("criteria").EnumerateArray().ToList();
        Assert.Equal(6, criteria.Count);
        var failed = Assert.Single(criteria, criterion => criterion.GetProperty("outcome").GetString() == "not_met");
        Assert.Equal("normal", failed.GetProperty("criterion").GetString());
        Assert.Equal("download", failed.GetProperty("direction").GetString());
        Assert.Equal(80, failed.GetProperty("thresholdMbps").GetDouble());
        Assert.Equal((26, 27, 30), (failed.GetProperty("observed").GetInt32(), failed.GetProperty("required").GetInt32(), failed.GetProperty("outOf").GetInt32()));
        var deciding = failed.GetProperty("deciding").EnumerateArray().ToList();
        Assert.Equal(4, deciding.Count);
        Assert.All(deciding, measurement => Assert.Equal(70, measurement.GetProperty("mbps").GetDouble()));
        Assert.Equal(
            [$"{KnownCampaign.Day(9):yyyy-MM-dd} 20:00", $"{KnownCampaign.Day(9):yyyy-MM-dd} 21:30", $"{KnownCampaign.Day(7):yyyy-MM-dd} 20:00", $"{KnownCampaign.Day(7):yyyy-MM-dd} 21:30"],
            deciding.Select(measurement => measurement.GetProperty("startedLocal").GetString()));
    }

    [Fact]
    public async Task The_campaign_report_counts_only_the_campaigns_tests_against_its_plan()
    {
        using var report = await ReportAsync($"campaign={KnownCampaign.Id}");
        var root = report.RootElement;
        var download = root.GetProperty("directions")[0];

        // 26 at 95 and 4 at 70: the median 95, the 10th percentile (rank 2.9 of 0..29) 70, 4 of 30 below 90, none below 50.
        Assert.Equal((30, 0), (download.GetProperty("measured").GetInt32(), download.GetProperty("failed").GetInt32()));
        Assert.Equal(95, download.GetProperty("medianMbps").GetDouble());
        Assert.Equal(70, download.GetProperty("p10Mbps").GetDouble());
        Assert.Equal(0.133333, download.GetProperty("shareBelow90PercentOfMaximum").GetDouble());
        Assert.Equal(0, download.GetProperty("shareBelowMinimum").GetDouble());

        // The evening (20:00 and 21:30 of each day: 4 at 70, 2 at 95) against the rest (24 at 95); 20:00 local holds 70, 70, 95.
        Assert.Equal((6, 70.0), (download.GetProperty("eveningTests").GetInt32(), download.GetProperty("eveningMedianMbps").GetDouble()));
        Assert.Equal((24, 95.0), (download.GetProperty("restTests").GetInt32(), download.GetProperty("restMedianMbps").GetDouble()));
        Assert.Equal((3, 70.0), (download.GetProperty("hours")[20].GetProperty("tests").GetInt32(), download.GetProperty("hours")[20].GetProperty("medianMbps").GetDouble()));
        Assert.Equal(JsonValueKind.Null, download.GetProperty("hours")[3].GetProperty("medianMbps").ValueKind);
        Assert.Equal(38, root.GetProperty("directions")[1].GetProperty("medianMbps").GetDouble());

        var method = root.GetProperty("method");
        Assert.Equal(["peer"], method.GetProperty("servers").EnumerateArray().Select(server => server.GetString())); // not the regular test's "other"
        Assert.True(method.GetProperty("wired").GetBoolean());
        Assert.False(string.IsNullOrEmpty(method.GetProperty("version").GetString()));
        Assert.Contains("not a certified measurement mechanism", method.GetProperty("notCertified").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("DNS: the history keeps", method.GetProperty("dns").GetString(), StringComparison.Ordinal);
        Assert.Equal("You pay 39.99 EUR a month for 100 Mbit/s down; the median measured was 95.0 Mbit/s (95 %).", root.GetProperty("paid").GetString());
        Assert.Equal(KnownCampaign.Zone, root.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task The_campaign_reports_outages_latency_per_target_dns_failures_and_latency_under_load()
    {
        using var report = await ReportAsync($"campaign={KnownCampaign.Id}");
        var root = report.RootElement;

        var availability = root.GetProperty("availability");
        Assert.Equal(2, availability.GetProperty("outages").GetInt32());
        Assert.Equal(900, availability.GetProperty("downSeconds").GetDouble());
        Assert.Equal(15, availability.GetProperty("downMinutes").GetDouble());
        Assert.Equal(600, availability.GetProperty("longestSeconds").GetDouble());
        Assert.Equal(["local", "internet"], availability.GetProperty("list").EnumerateArray().Select(outage => outage.GetProperty("cause").GetString()));
        Assert.Equal($"{KnownCampaign.Day(8):yyyy-MM-dd} 12:00", availability.GetProperty("list")[0].GetProperty("startedLocal").GetString());

        // cloudflare's minute medians 10, 15, 20: median 15, p90 (rank 1.8) 19, p99 (rank 1.98) 19.9; 3 of 180 lost; jitter 2.
        var targets = root.GetProperty("latency").EnumerateArray().ToList();
        Assert.Equal(["cloudflare", "gateway"], targets.Select(target => target.GetProperty("target").GetString()));
        var cloudflare = targets[0];
        Assert.Equal(15, cloudflare.GetProperty("medianOfMinuteMediansMs").GetDouble());
        Assert.Equal(19, cloudflare.GetProperty("p90OfMinuteMediansMs").GetDouble(), 9);
        Assert.Equal(19.9, cloudflare.GetProperty("p99OfMinuteMediansMs").GetDouble(), 9);
        Assert.Equal(0.016667, cloudflare.GetProperty("lossRatio").GetDouble());
        Assert.Equal(2, cloudflare.GetProperty("jitterMs").GetDouble());
        Assert.Equal(180, cloudflare.GetProperty("sent").GetInt64());

        var dns = Assert.Single(root.GetProperty("dns").EnumerateArray());
        Assert.Equal(("system", 36L, 15L, 0.416667, 22.5), (dns.GetProperty("server").GetString(), dns.GetProperty("queries").GetInt64(), dns.GetProperty("failures").GetInt64(), dns.GetProperty("failureRatio").GetDouble(), dns.GetProperty("medianOfMinuteMediansMs").GetDouble()));

        var loaded = root.GetProperty("latencyUnderLoad");
        Assert.Equal((12.5, 95.0, 40.0), (loaded.GetProperty("idleMedianMs").GetDouble(), loaded.GetProperty("downloadMedianMs").GetDouble(), loaded.GetProperty("uploadMedianMs").GetDouble()));
        Assert.Equal((82.5, 27.5), (loaded.GetProperty("downloadIncreaseMs").GetDouble(), loaded.GetProperty("uploadIncreaseMs").GetDouble()));
    }

    [Fact]
    public async Task Each_csv_link_serves_the_very_bytes_whose_sha256_the_report_states()
    {
        using var report = await ReportAsync($"campaign={KnownCampaign.Id}");
        var files = report.RootElement.GetProperty("method").GetProperty("files").EnumerateArray().ToList();

        Assert.Equal(["speedtests", "outages", "latency"], files.Select(file => file.GetProperty("table").GetString()));
        Assert.Equal([31, 2, 4], files.Select(file => file.GetProperty("rows").GetInt32())); // the range's every test, the regular one too
        foreach (var file in files)
        {
            var url = file.GetProperty("url").GetString()!;
            Assert.Contains("format=csv", url, StringComparison.Ordinal);
            using var response = await known.Http.GetAsync(new Uri(url, UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
            Assert.Equal(file.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public async Task The_availability_is_what_the_history_api_computes_for_the_same_range()
    {
        using var report = await ReportAsync($"campaign={KnownCampaign.Id}");
        var root = report.RootElement;
        var range = $"from={Uri.EscapeDataString(root.GetProperty("from").GetString()!)}&to={Uri.EscapeDataString(root.GetProperty("to").GetString()!)}";

        using var history = JsonDocument.Parse(await known.Http.GetStringAsync(new Uri($"/api/history/availability?{range}", UriKind.Relative), Cancel));

        Assert.Equal(history.RootElement.GetProperty("outageSeconds").GetDouble(), root.GetProperty("availability").GetProperty("downSeconds").GetDouble());
        Assert.Equal(history.RootElement.GetProperty("availability").GetDouble(), root.GetProperty("availability").GetProperty("availability").GetDouble());
    }

    [Fact]
    public async Task A_month_report_lists_the_campaigns_that_overlap_it_with_their_verdict()
    {
        var month = TimeZoneInfo.ConvertTime(KnownCampaign.Start, KnownCampaign.TimeZone).ToString("yyyy'-'MM", CultureInfo.InvariantCulture);

        using var report = await ReportAsync($"month={month}");
        var root = report.RootElement;

        Assert.False(root.GetProperty("noMeasurements").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("campaign").ValueKind);
        var campaign = Assert.Single(root.GetProperty("campaigns").EnumerateArray());
        Assert.Equal(KnownCampaign.Id, campaign.GetProperty("id").GetString());
        Assert.Equal("deviation", campaign.GetProperty("outcome").GetString());
        Assert.Equal($"/report?campaign={KnownCampaign.Id}", campaign.GetProperty("report").GetString());
        Assert.Contains("Campaign bnetza-known: deviation.", root.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_month_the_report_is_of_the_current_local_month()
    {
        using var report = await ReportAsync(string.Empty);

        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, KnownCampaign.TimeZone);
        Assert.Equal(now.ToString("yyyy'-'MM", CultureInfo.InvariantCulture), report.RootElement.GetProperty("month").GetString());
        Assert.True(report.RootElement.GetProperty("to").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task The_page_is_served_with_a_policy_that_allows_its_own_inline_script_alone()
    {
        using var response = await known.Http.GetAsync(new Uri("/report?month=2020-01", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        foreach (var id in new[] { "summary", "plan", "campaign", "availability", "latency", "method", "paid" })
        {
            Assert.Contains($"id=\"{id}\"", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_the_history_off_the_report_is_not_found_like_the_history()
    {
        await using var probe = await ProbeHost.StartAsync("--Monitor:History:Enabled=false");
        using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var response = await http.GetAsync(new Uri("/api/report", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("history is off (Monitor:History:Enabled=false)\n", await response.Content.ReadAsStringAsync(Cancel));
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await known.Http.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    private async Task<JsonDocument> ReportAsync(string query)
    {
        var (status, body) = await GetAsync("/api/report" + (query.Length > 0 ? "?" + query : string.Empty));
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}");
        return JsonDocument.Parse(body);
    }
}
