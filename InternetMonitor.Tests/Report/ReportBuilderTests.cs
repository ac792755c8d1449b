using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Report;
using InternetMonitor.Tests.Campaigns;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Report;

/// <summary>
/// The report's figures on crafted histories, each worked out by hand: December 2026 in UTC (2,678,400 s), ten downloads
/// of 10 to 100 Mbit/s and a failed test against a plan of 100 maximum and 30 minimum, outages that overlap the month's
/// start and each other, and five latency minutes of one target.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ReportBuilderTests
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2027, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlanOptions Plan = new() { DownloadMbps = 100, DownloadMinimumMbps = 30, MonthlyPrice = 39.99, Currency = "EUR" };

    private static ReportScope Month => ReportScope.ForMonth(new DateOnly(2026, 12, 1), TimeZoneInfo.Utc, "UTC", Now);

    /// <summary>10 to 100 Mbit/s at the hours 8, 8, 9, 10, 11, 12, 13, 23, 19, 22 of 1 December (the 90 and 100 in the evening, the 80 just after it), and a failed test.</summary>
    private static List<SpeedTestRecord> Tests()
    {
        int[] hours = [8, 8, 9, 10, 11, 12, 13, 23, 19, 22];
        var tests = hours.Select((hour, i) => Test(December.AddHours(hour).AddMinutes(i), 10 * (i + 1), 20)).ToList();
        tests.Add(Test(December.AddHours(14), null, null) with { Result = "failure", Reason = "timeout", FailedIn = "download" });
        return tests;
    }

    private static SpeedTestRecord Test(DateTimeOffset start, double? download, double? upload, string? campaign = null) =>
        new(start, start.AddSeconds(30), "peer", "cloudflare", "success", download, upload, 1, 1, 12, 1, 60, 30, null, null, null, campaign);

    private static List<OutageRecord> Outages() =>
    [
        new(December.AddMinutes(-5), December.AddMinutes(5), 600, "internet", false), // 5 of its 10 minutes in the month
        new(December.AddHours(10), December.AddHours(10).AddMinutes(10), 600, "local", false),
        new(December.AddHours(10).AddMinutes(8), December.AddHours(10).AddMinutes(12), 240, "unknown", false), // 2 of its 4 minutes not yet counted
    ];

    /// <summary>Five minutes of cloudflare: medians 10 to 50 ms, 3 lost in two of them, jitter 1 to 4 and one minute without.</summary>
    private static List<LatencyMinuteRecord> Latency() =>
    [
        .. Enumerable.Range(0, 5).Select(i => new LatencyMinuteRecord(
            December.AddMinutes(i), "cloudflare", "public", "1.1.1.1", 60, i % 2 == 1 ? 3 : 0, i % 2 == 1 ? 0.05 : 0, 5, 10 * (i + 1), 60, 90, i < 4 ? i + 1 : null)),
        new LatencyMinuteRecord(December, "gateway", "gateway", "192.168.1.1", 60, 0, 0, 0.4, 0.5, 0.6, 0.9, 0.1),
    ];

    /// <summary>Three minutes of the system resolver (12 queries each; 0, 3 and all 12 failed; medians 20, 25 and none) and one of 9.9.9.9.</summary>
    private static List<DnsMinuteRecord> Dns() =>
    [
        new(December, "system", 12, 0, 20), new(December.AddMinutes(1), "system", 12, 3, 25), new(December.AddMinutes(2), "system", 12, 12, null),
        new(December, "9.9.9.9", 6, 0, 8),
    ];

    private static ProviderReport Build(ReportScope scope, List<SpeedTestRecord>? tests = null, List<OutageRecord>? outages = null, List<LatencyMinuteRecord>? latency = null, List<CampaignHistory>? campaigns = null, PlanOptions? plan = null, List<DnsMinuteRecord>? dns = null) =>
        ReportBuilder.Build(scope, new ReportHistory(tests ?? Tests(), outages ?? Outages(), latency ?? Latency(), campaigns ?? [], [], dns ?? Dns()), plan ?? Plan, wired: null, "1.2.3", Now);

    [Fact]
    public void The_median_and_10th_percentile_are_type_7_over_the_tests_that_measured_the_direction()
    {
        var download = Build(Month).Directions![0];

        Assert.Equal((10, 1), (download.Measured, download.Failed));
        Assert.Equal(55, download.MedianMbps); // rank 4.5 of 0..9: between 50 and 60
        Assert.Equal(19, download.P10Mbps); // rank 0.9: 10 + 0.9 * 10
    }

    [Fact]
    public void A_test_exactly_at_90_percent_of_the_maximum_or_at_the_minimum_is_not_below_it()
    {
        var download = Build(Month).Directions![0];

        Assert.Equal(0.8, download.ShareBelow90PercentOfMaximum); // 10 ... 80 below 90; the 90 and the 100 not
        Assert.Equal(0.2, download.ShareBelowMinimum); // 10 and 20 below 30; the 30 not
    }

    [Fact]
    public void A_share_against_a_speed_the_contract_does_not_state_is_null()
    {
        var upload = Build(Month).Directions![1];

        Assert.Equal(20, upload.MedianMbps);
        Assert.Null(upload.MaximumMbps);
        Assert.Null(upload.ShareBelow90PercentOfMaximum);
        Assert.Null(upload.ShareBelowMinimum);
    }

    [Fact]
    public void The_evening_from_19_to_23_local_is_set_against_the_rest_of_the_day()
    {
        var download = Build(Month).Directions![0];

        Assert.Equal((2, 95.0), (download.EveningTests, download.EveningMedianMbps!.Value)); // 90 at 19:xx and 100 at 22:xx
        Assert.Equal((8, 45.0), (download.RestTests, download.RestMedianMbps!.Value)); // 10 ... 80, the 80 at 23:xx among them
        Assert.Equal(24, download.Hours.Count);
        Assert.Equal((2, 15.0), (download.Hours[8].Tests, download.Hours[8].MedianMbps!.Value));
        Assert.Equal((0, (double?)null), (download.Hours[0].Tests, download.Hours[0].MedianMbps));
    }

    [Fact]
    public void Hours_are_counted_in_the_reports_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var scope = ReportScope.ForMonth(new DateOnly(2026, 12, 1), berlin, "Europe/Berlin", Now);

        var download = Build(scope, tests: [Test(December.AddHours(18).AddMinutes(30), 50, 10)]).Directions![0]; // 19:30 in Berlin

        Assert.Equal(1, download.Hours[19].Tests);
        Assert.Equal(1, download.EveningTests);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), scope.From);
    }

    [Fact]
    public void Outage_seconds_count_overlaps_once_and_an_outage_that_began_before_the_month_from_its_start()
    {
        var availability = Build(Month).Availability!;

        Assert.Equal(31 * 86400, availability.Seconds);
        Assert.Equal(17 * 60, availability.DownSeconds); // 5 + 10 + 2 minutes
        Assert.Equal(17, availability.DownMinutes);
        Assert.Equal(Math.Round(1 - (1020.0 / 2_678_400), 6), availability.Availability);
        Assert.Equal(3, availability.Outages);
        Assert.Equal(600, availability.LongestSeconds);
        Assert.Equal(["internet", "local", "unknown"], availability.List.Select(outage => outage.Cause));
        Assert.Equal("2026-12-01 10:00", availability.List[1].StartedLocal);
    }

    [Fact]
    public void Latency_figures_are_percentiles_of_the_minute_medians_and_loss_is_lost_over_sent()
    {
        var cloudflare = Build(Month).Latency![0];

        Assert.Equal("cloudflare", cloudflare.Target);
        Assert.Equal(5, cloudflare.Minutes);
        Assert.Equal(30, cloudflare.MedianOfMinuteMediansMs); // 10, 20, 30, 40, 50
        Assert.Equal(46, cloudflare.P90OfMinuteMediansMs!.Value, 9); // rank 3.6: 40 + 0.6 * 10
        Assert.Equal(49.6, cloudflare.P99OfMinuteMediansMs!.Value, 9); // rank 3.96
        Assert.Equal((300L, 6L, 0.02), (cloudflare.Sent, cloudflare.Lost, cloudflare.LossRatio!.Value));
        Assert.Equal(2.5, cloudflare.JitterMs); // the median of 1, 2, 3, 4: the minute without jitter is left out
        Assert.Equal("gateway", Build(Month).Latency![1].Target); // public targets first
    }

    [Fact]
    public void Dns_failures_are_summed_over_each_servers_minutes()
    {
        var report = Build(Month);

        Assert.Equal(["9.9.9.9", "system"], report.Dns!.Select(server => server.Server));
        var system = report.Dns![1];
        Assert.Equal((3, 36L, 15L), (system.Minutes, system.Queries, system.Failures));
        Assert.Equal(0.416667, system.FailureRatio); // 15 of 36
        Assert.Equal(22.5, system.MedianOfMinuteMediansMs); // 20 and 25: the minute without an answer has no median
        Assert.Contains("DNS via system: 15 of 36 queries failed (41.667 %), median answer 22.5 ms.", report.Summary, StringComparison.Ordinal);
        Assert.StartsWith("DNS: the history keeps", report.Method.Dns, StringComparison.Ordinal);
        Assert.StartsWith("DNS: the history holds no DNS minutes", Build(Month, dns: []).Method.Dns, StringComparison.Ordinal);
        Assert.Empty(Build(Month, dns: []).Dns!);
    }

    [Fact]
    public void Latency_under_load_sets_the_medians_of_loaded_latency_against_idle()
    {
        var loaded = Build(Month).LatencyUnderLoad!;

        Assert.Equal(11, loaded.Tests);
        Assert.Equal((12.0, 60.0, 30.0), (loaded.IdleMedianMs!.Value, loaded.DownloadMedianMs!.Value, loaded.UploadMedianMs!.Value));
        Assert.Equal((48.0, 18.0), (loaded.DownloadIncreaseMs!.Value, loaded.UploadIncreaseMs!.Value));
    }

    [Fact]
    public void What_you_paid_for_sets_the_price_against_the_median_download()
    {
        var report = Build(Month);

        Assert.Equal("You pay 39.99 EUR a month for 100 Mbit/s down; the median measured was 55.0 Mbit/s (55 %).", report.Paid);
        Assert.Null(Build(Month, plan: new PlanOptions { DownloadMbps = 100 }).Paid);
    }

    [Fact]
    public void A_month_without_measurements_is_flagged_with_nulls_rather_than_zeros()
    {
        var report = Build(Month, tests: [], outages: [], latency: [], dns: []);

        Assert.True(report.NoMeasurements);
        Assert.Null(report.Directions);
        Assert.Null(report.Availability);
        Assert.Null(report.Latency);
        Assert.Null(report.LatencyUnderLoad);
        Assert.Null(report.Dns);
        Assert.Null(report.Paid);
        Assert.Equal("Internet Monitor Provider report, December 2026: 2026-12-01 00:00 to 2027-01-01 00:00 (UTC).\nNo measurements in December 2026.\n", report.Summary);
    }

    [Fact]
    public void A_month_going_on_ends_at_the_reports_minute()
    {
        var scope = ReportScope.ForMonth(new DateOnly(2026, 12, 1), TimeZoneInfo.Utc, "UTC", new DateTimeOffset(2026, 12, 4, 1, 37, 42, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 1, 37, 0, TimeSpan.Zero), scope.To);
    }

    [Fact]
    public void A_campaign_report_judges_its_own_tests_and_lists_the_deciding_measurements()
    {
        // CampaignJudgeTests' line, the normally available 80 Mbit/s reached in 26 of 30 (27 needed), and a regular test beside it.
        var measurements = CampaignJudgeTests.WithDownload(CampaignJudgeTests.Good(), 70, 8, 9, 18, 19);
        var tests = measurements.Select(measurement => Test(measurement.StartedAt, measurement.DownloadMbps, measurement.UploadMbps, "c1")).ToList();
        tests.Add(Test(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), 5, 1));
        var campaign = new CampaignRecord("c1", "bnetza", new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero), "UTC", true, CampaignPlan.Of(CampaignJudgeTests.Plan), new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), "completed");

        var report = Build(ReportScope.ForCampaign(campaign, Now), tests: tests, plan: new PlanOptions());

        Assert.Equal("campaign", report.Kind);
        Assert.Equal(30, report.Directions![0].Measured); // not the regular test
        Assert.True(report.Method.Wired);
        Assert.Equal(100, report.Contract.DownloadMbps); // the campaign's plan, not today's (none)
        var verdict = report.Campaign!.Verdict!;
        Assert.Equal(CampaignVerdict.Deviation, verdict.Outcome);
        var normal = Assert.Single(verdict.Criteria, criterion => criterion.Outcome == CriterionVerdict.NotMet);
        Assert.Equal(("normal", "download", 26, 27, 30), (normal.Criterion, normal.Direction, normal.Observed, normal.Required, normal.OutOf));
        Assert.Equal(["2026-12-01 20:00", "2026-12-01 21:30", "2026-12-03 20:00", "2026-12-03 21:30"], normal.Deciding.Select(measurement => measurement.StartedLocal));
        Assert.All(normal.Deciding, measurement => Assert.Equal(70, measurement.Mbps));
        Assert.Contains("Campaign by the rules of Bundesnetzagentur (Germany): deviation (30 of 30 measurements).", report.Summary, StringComparison.Ordinal);
        Assert.Contains("- not met: download reached the normally available speed, 80 Mbit/s, in 26 of 30 measurements (86.7 %); 90 % needed", report.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2027-03", "2027-03 is in the future: the report covers months up to the current one")]
    [InlineData("2026-13", "month must be a calendar month as YYYY-MM, such as 2026-12 (got \"2026-13\")")]
    [InlineData("2026-12", null)]
    [InlineData("1970-01", null)]
    public void A_month_is_a_calendar_month_up_to_the_current_one(string month, string? problem)
    {
        var (parsed, refusal) = ReportScope.ParseMonth(month, TimeZoneInfo.Utc, new DateTimeOffset(2026, 12, 4, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal(problem, refusal);
        Assert.Equal(problem is null, parsed is not null);
    }
}
