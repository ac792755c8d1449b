using System.Globalization;
using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Probing.SpeedTest;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// Builds the provider report from what the history holds for its range: pure (the time of the report, the zone and
/// the probe's version come in), so that each figure can be checked on a crafted history by hand. Percentiles are
/// <see cref="Throughput.PercentileOf"/>'s (type 7), the definition the probe uses everywhere; docs/report.md defines
/// every figure.
/// </summary>
public static class ReportBuilder
{
    /// <summary>The evening peak, local time: from 19:00 to 23:00 (the last test counted starts before 23:00).</summary>
    public const int EveningFrom = 19;

    public const int EveningTo = 23;

    private static readonly string[] Directions = ["download", "upload"];

    public static ProviderReport Build(ReportScope scope, ReportHistory history, PlanOptions plan, bool? wired, string version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(plan);
        var campaign = scope.Campaign;
        var contractPlan = campaign is null ? plan : campaign.Plan.ToOptions();
        var tests = campaign is null ? history.SpeedTests : [.. history.SpeedTests.Where(test => test.Campaign == campaign.Id)];
        var latency = Latency(history.Latency);
        var empty = tests.Count == 0 && latency.Count == 0 && history.Outages.Count == 0 && history.Dns.Count == 0;
        var dns = Dns(history.Dns);
        var contract = new ReportContract(
            Stated(contractPlan.DownloadMbps), Stated(contractPlan.DownloadNormalMbps), Stated(contractPlan.DownloadMinimumMbps),
            Stated(contractPlan.UploadMbps), Stated(contractPlan.UploadNormalMbps), Stated(contractPlan.UploadMinimumMbps),
            Stated(plan.MonthlyPrice), plan.Currency.Length > 0 ? plan.Currency : null);
        var directions = empty || tests.Count == 0 ? null : Directions.Select(direction => Figures(direction, contractPlan.Speeds(direction), tests, scope.Zone)).ToList();
        var campaignReport = campaign is null ? null : CampaignReport(campaign, history.SpeedTests, scope.Zone);
        var overlaps = campaign is null ? history.Campaigns.Select(Overlap).ToList() : [];
        var availability = empty ? null : Availability(scope, history.Outages);
        var loaded = empty ? null : Loaded(tests);
        var method = Method(scope, tests, wired ?? campaign?.Wired, version, history.Files, dns.Count > 0);
        var paid = empty ? null : Paid(plan, contract, directions?[0], scope);
        var title = campaign is null
            ? $"Provider report, {scope.Name}"
            : $"Provider report, campaign {campaign.Id}" + (campaignReport?.RulesName is { } rules ? $" ({rules})" : string.Empty);
        var report = new ProviderReport(
            scope.Kind, scope.Month?.ToString("yyyy'-'MM", CultureInfo.InvariantCulture), title, scope.From, scope.To, scope.ZoneName, now, empty,
            contract, directions, campaignReport, overlaps, availability, empty ? null : latency, loaded, empty ? null : dns, method, paid, string.Empty);
        return report with { Summary = ReportSummary.Text(report, scope) };
    }

    /// <summary>One direction's figures over <paramref name="tests"/>.</summary>
    public static DirectionFigures Figures(string direction, PlanSpeeds speeds, IReadOnlyList<SpeedTestRecord> tests, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(speeds);
        ArgumentNullException.ThrowIfNull(tests);
        var measured = tests.Select(test => (Hour: Local(test.StartedAt, zone).Hour, Mbps: Speed(test, direction)))
            .Where(test => test.Mbps is not null).Select(test => (test.Hour, Mbps: test.Mbps!.Value)).ToList();
        var failed = tests.Count(test => test.Result == "failure" && Speed(test, direction) is null);
        var all = measured.Select(test => test.Mbps).ToList();
        var hours = Enumerable.Range(0, 24).Select(hour =>
        {
            var inHour = measured.Where(test => test.Hour == hour).Select(test => test.Mbps).ToList();
            return new HourFigures(hour, inHour.Count, Median(inHour));
        }).ToList();
        var evening = measured.Where(test => test.Hour is >= EveningFrom and < EveningTo).Select(test => test.Mbps).ToList();
        var rest = measured.Where(test => test.Hour is < EveningFrom or >= EveningTo).Select(test => test.Mbps).ToList();
        return new DirectionFigures(
            direction, Stated(speeds.MaximumMbps), Stated(speeds.NormalMbps), Stated(speeds.MinimumMbps), measured.Count, failed,
            Median(all), Percentile(all, 0.1),
            ShareBelow(all, speeds.MaximumMbps * 0.9), ShareBelow(all, speeds.MinimumMbps),
            hours, evening.Count, Median(evening), rest.Count, Median(rest));
    }

    /// <summary>
    /// The range outside any outage, counted by <see cref="HistoryReader.DownSeconds"/> as availability is (overlaps once, each outage
    /// clipped to the range), with each outage at its whole length.
    /// </summary>
    public static AvailabilityFigures Availability(ReportScope scope, IReadOnlyList<OutageRecord> outages)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(outages);
        var seconds = Math.Max(0, (scope.To - scope.From).TotalSeconds);
        var ordered = outages.OrderBy(outage => outage.StartedAt).ToList();
        var (down, _) = HistoryReader.DownSeconds(scope.From, scope.To, ordered);

        return new AvailabilityFigures(
            Math.Round(seconds, 3), Math.Round(down, 3), Math.Round(down / 60, 1),
            seconds == 0 ? 1 : Math.Round(Math.Clamp(1 - (down / seconds), 0, 1), 6),
            ordered.Count, ordered.Count == 0 ? null : ordered.Max(outage => outage.DurationSeconds),
            [.. ordered.Select(outage => new OutageLine(outage.StartedAt, LocalText(outage.StartedAt, scope.Zone), outage.DurationSeconds, outage.Cause, outage.Ongoing))]);
    }

    /// <summary>Each target's figures from its minutes, enumerated once; public targets first, then by name.</summary>
    public static IReadOnlyList<TargetLatency> Latency(IEnumerable<LatencyMinuteRecord> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var targets = new Dictionary<string, TargetMinutes>(StringComparer.Ordinal);
        foreach (var minute in minutes)
        {
            if (!targets.TryGetValue(minute.Target, out var target))
            {
                target = new TargetMinutes();
                targets[minute.Target] = target;
            }

            (target.Role, target.Address) = (minute.Role, minute.Address);
            target.Minutes++;
            target.Sent += minute.Sent;
            target.Lost += minute.Lost;
            if (minute.MedianMs is { } median)
            {
                target.Medians.Add(median);
            }

            if (minute.JitterMs is { } jitter)
            {
                target.Jitters.Add(jitter);
            }
        }

        return
        [
            .. targets.OrderBy(target => target.Value.Role == "gateway").ThenBy(target => target.Key, StringComparer.Ordinal).Select(pair =>
            {
                var target = pair.Value;
                return new TargetLatency(
                    pair.Key, target.Role, target.Address, target.Minutes, target.Sent, target.Lost,
                    target.Sent == 0 ? null : Math.Round((double)target.Lost / target.Sent, 6),
                    Median(target.Medians), Percentile(target.Medians, 0.9), Percentile(target.Medians, 0.99), Median(target.Jitters));
            }),
        ];
    }

    /// <summary>Each DNS server's queries and failures summed over its minutes, and the median of its minute medians; by name.</summary>
    public static IReadOnlyList<DnsServerFigures> Dns(IReadOnlyList<DnsMinuteRecord> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        return
        [
            .. minutes.GroupBy(minute => minute.Server, StringComparer.Ordinal).OrderBy(server => server.Key, StringComparer.Ordinal).Select(server =>
            {
                var (queries, failures) = (server.Sum(minute => (long)minute.Queries), server.Sum(minute => (long)minute.Failures));
                return new DnsServerFigures(
                    server.Key, server.Count(), queries, failures, queries == 0 ? null : Math.Round((double)failures / queries, 6),
                    Median([.. server.Where(minute => minute.MedianMs is not null).Select(minute => minute.MedianMs!.Value)]));
            }),
        ];
    }

    /// <summary>Latency under load: the medians of the tests' idle, downloading and uploading latencies; null when no test measured any.</summary>
    public static LoadedLatency? Loaded(IReadOnlyList<SpeedTestRecord> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var measured = tests.Where(test => test.IdleLatencyMs is not null || test.DownloadLatencyMs is not null || test.UploadLatencyMs is not null).ToList();
        if (measured.Count == 0)
        {
            return null;
        }

        var idle = Median([.. measured.Where(test => test.IdleLatencyMs is not null).Select(test => test.IdleLatencyMs!.Value)]);
        var download = Median([.. measured.Where(test => test.DownloadLatencyMs is not null).Select(test => test.DownloadLatencyMs!.Value)]);
        var upload = Median([.. measured.Where(test => test.UploadLatencyMs is not null).Select(test => test.UploadLatencyMs!.Value)]);
        return new LoadedLatency(measured.Count, idle, download, upload, Increase(download, idle), Increase(upload, idle));
    }

    /// <summary>The local time as the report writes it, <c>yyyy-MM-dd HH:mm</c>.</summary>
    public static string LocalText(DateTimeOffset time, TimeZoneInfo zone) =>
        Local(time, zone).ToString("yyyy'-'MM'-'dd HH':'mm", CultureInfo.InvariantCulture);

    private static DateTime Local(DateTimeOffset time, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(time, zone).DateTime;

    private static CampaignReport CampaignReport(CampaignRecord campaign, IReadOnlyList<SpeedTestRecord> tests, TimeZoneInfo zone)
    {
        var rules = CampaignRuleBook.Find(campaign.Rules);
        ReportVerdict? verdict = null;
        if (rules is not null)
        {
            var judged = CampaignJudge.Judge(rules, campaign.Plan.ToOptions(), CampaignMeasurements.Of(campaign, tests));
            verdict = new ReportVerdict(
                judged.Outcome, judged.Complete, judged.Measurements, judged.MeasurementsRequired, judged.Days,
                [
                    .. judged.Criteria.Select(criterion => new CriterionReport(
                        criterion.Criterion, criterion.Direction, criterion.Wording, criterion.ThresholdMbps, criterion.Outcome,
                        criterion.Observed, criterion.Required, criterion.OutOf, criterion.Finding,
                        [.. criterion.Deciding.Select(measurement => new DecidingMeasurement(measurement.StartedAt, LocalText(measurement.StartedAt, zone), measurement.Day, measurement.Mbps(criterion.Direction)))])),
                ]);
        }

        return new CampaignReport(campaign.Id, campaign.Rules, rules?.Name, rules?.Procedure, rules?.Source, rules?.Url, campaign.StartedAt, campaign.EndedAt, campaign.Outcome, verdict);
    }

    private static CampaignOverlap Overlap(CampaignHistory overlap)
    {
        var campaign = overlap.Campaign;
        var rules = CampaignRuleBook.Find(campaign.Rules);
        var outcome = rules is null ? "unknown_rules" : CampaignJudge.Judge(rules, campaign.Plan.ToOptions(), CampaignMeasurements.Of(campaign, overlap.Tests)).Outcome;
        return new CampaignOverlap(campaign.Id, campaign.Rules, campaign.StartedAt, campaign.EndedAt, outcome, "/report?campaign=" + Uri.EscapeDataString(campaign.Id));
    }

    private static ReportMethod Method(ReportScope scope, IReadOnlyList<SpeedTestRecord> tests, bool? wired, string version, IReadOnlyList<ReportCsvFile> files, bool dns) => new(
        [.. tests.Select(test => test.Server).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        version,
        wired,
        [
            "Speed: each test downloads from and uploads to the server named here with requests that grow in size, for a set time and number of bytes, and its result is the 90th percentile of the throughputs of its long enough requests, in Mbit/s; its latency is measured idle before it and under load during each direction.",
            "Availability: the probe sends echoes to its targets all the time; the internet counts as down while every public target has lost every echo for a few seconds, and the cause is local when the router (the gateway) was silent too, internet (the provider's side) when it answered, unknown when there is no gateway to tell.",
            $"Latency and loss: each target's echoes are kept as one-minute roll-ups (sent, lost, median, jitter), so the latency figures are percentiles of minute medians, not of single echoes; days and hours are counted in {scope.ZoneName}.",
        ],
        dns
            ? "DNS: the history keeps each server's queries per minute, those that failed (no answer, or an error response) and the median answer time; the failures here are summed over the range (the DNS minutes have no CSV file yet, so no checksum)."
            : "DNS: the history holds no DNS minutes for this range (they are kept since history schema 4, while the DNS job runs), so this report shows no DNS figure.",
        files,
        "Internet Monitor is not a certified measurement mechanism (it is not, for example, the Bundesnetzagentur's Breitbandmessung app): this report is what one sends the provider first; a regulator's procedure may need its own certified measurement.");

    private static string? Paid(PlanOptions plan, ReportContract contract, DirectionFigures? download, ReportScope scope)
    {
        if (plan.MonthlyPrice <= 0)
        {
            return null;
        }

        var price = string.Create(CultureInfo.InvariantCulture, $"{plan.MonthlyPrice:0.00}") + (plan.Currency.Length > 0 ? " " + plan.Currency : string.Empty);
        if (contract.DownloadMbps is not { } maximum)
        {
            return $"You pay {price} a month; the contract states no download speed (Monitor:Plan:DownloadMbps).";
        }

        var sold = string.Create(CultureInfo.InvariantCulture, $"You pay {price} a month for {maximum:0.##} Mbit/s down");
        return download?.MedianMbps is { } median
            ? string.Create(CultureInfo.InvariantCulture, $"{sold}; the median measured was {median:0.0} Mbit/s ({100 * median / maximum:0} %).")
            : $"{sold}; no download was measured in {scope.Name}.";
    }

    private static double? Speed(SpeedTestRecord test, string direction) => direction == "upload" ? test.UploadMbps : test.DownloadMbps;

    private static double? Stated(double value) => value > 0 ? value : null;

    private static double? Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    private static double? Percentile(IReadOnlyList<double> values, double percentile) =>
        values.Count == 0 ? null : Math.Round(Throughput.PercentileOf(values, percentile), 3);

    private static double? ShareBelow(IReadOnlyList<double> values, double threshold) =>
        threshold <= 0 || values.Count == 0 ? null : Math.Round((double)values.Count(value => !CampaignJudge.Reaches(value, threshold)) / values.Count, 6);

    private static double? Increase(double? loaded, double? idle) => loaded is { } under && idle is { } quiet ? Math.Round(under - quiet, 3) : null;

    private sealed class TargetMinutes
    {
        public string Role { get; set; } = string.Empty;

        public string Address { get; set; } = string.Empty;

        public int Minutes { get; set; }

        public long Sent { get; set; }

        public long Lost { get; set; }

        public List<double> Medians { get; } = [];

        public List<double> Jitters { get; } = [];
    }
}
