using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// The provider report of a local calendar month or of a measurement campaign, as <c>/api/report</c> answers it: what the
/// history holds for the range, figures worked out from it (docs/report.md defines each), and the way to check them (the
/// CSV files of the same range with their SHA-256). A figure the range gives nothing to compute is null, never 0.
/// </summary>
public sealed record ProviderReport(
    [property: AllowedValues("month", "campaign")] string Kind,
    [property: Description("The month reported (`YYYY-MM`), for a month's report.")] string? Month,
    string Title,
    [property: Description("The range's start (UTC).")] DateTimeOffset From,
    [property: Description("The range's end (UTC, exclusive): the month's or campaign's end, or the time of the report cut to its minute when that is earlier.")] DateTimeOffset To,
    [property: Description("The IANA time zone whose calendar days and hours the report counts in.")] string TimeZone,
    DateTimeOffset GeneratedAt,
    [property: Description("True when the range holds no speed test, no latency minute, no DNS minute and no outage: the figures are then null.")] bool NoMeasurements,
    ReportContract Contract,
    [property: Description("Per direction, the contract against what was measured; null when nothing was measured.")] IReadOnlyList<DirectionFigures>? Directions,
    [property: Description("The campaign and its verdict, for a campaign's report.")] CampaignReport? Campaign,
    [property: Description("For a month's report, the campaigns that overlap the month and their verdicts.")] IReadOnlyList<CampaignOverlap> Campaigns,
    AvailabilityFigures? Availability,
    [property: Description("Per ping target, from the history's one-minute roll-ups (not each echo).")] IReadOnlyList<TargetLatency>? Latency,
    LoadedLatency? LatencyUnderLoad,
    [property: Description("Per DNS server, from the history's one-minute roll-ups of queries; empty when the history holds none for the range.")] IReadOnlyList<DnsServerFigures>? Dns,
    ReportMethod Method,
    [property: Description("What the contract costs against the median download measured, when Monitor:Plan:MonthlyPrice is set.")] string? Paid,
    [property: Description("A few lines of plain text with the figures and the verdict, to paste into a support chat.")] string Summary);

/// <summary>The contract's speeds in Mbit/s and its price, null where the contract (Monitor:Plan, or the campaign's plan at its start) states none.</summary>
public sealed record ReportContract(
    double? DownloadMbps,
    double? DownloadNormalMbps,
    double? DownloadMinimumMbps,
    double? UploadMbps,
    double? UploadNormalMbps,
    double? UploadMinimumMbps,
    double? MonthlyPrice,
    string? Currency);

/// <summary>
/// One direction's speed tests against the contract: how many measured it and how many failed without a figure for it,
/// the median and the 10th percentile of those measured (type 7, as everywhere in the probe), the shares below 90 % of
/// the maximum and below the minimum (null where the contract states no such speed), by local hour of day, and the
/// evening peak (19:00 to 23:00 local) against the rest of the day.
/// </summary>
public sealed record DirectionFigures(
    [property: AllowedValues("download", "upload")] string Direction,
    double? MaximumMbps,
    double? NormalMbps,
    double? MinimumMbps,
    int Measured,
    int Failed,
    double? MedianMbps,
    double? P10Mbps,
    double? ShareBelow90PercentOfMaximum,
    double? ShareBelowMinimum,
    IReadOnlyList<HourFigures> Hours,
    int EveningTests,
    double? EveningMedianMbps,
    int RestTests,
    double? RestMedianMbps);

/// <summary>The tests that started in one local hour of day (0 to 23) and their median, null when none did.</summary>
public sealed record HourFigures(int Hour, int Tests, double? MedianMbps);

/// <summary>A campaign's report: the campaign as the history keeps it, the rules it follows and their verdict (null when this probe no longer knows the rules).</summary>
public sealed record CampaignReport(
    string Id,
    string Rules,
    string? RulesName,
    string? Procedure,
    string? Source,
    string? Url,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    [property: AllowedValues(null, "completed", "cancelled", "expired")] string? Ended,
    ReportVerdict? Verdict);

/// <summary>The judge's verdict (<see cref="Campaigns.CampaignVerdict"/>) with each deciding measurement's local time.</summary>
public sealed record ReportVerdict(
    [property: AllowedValues("deviation", "no_deviation", "incomplete", "not_assessed")] string Outcome,
    bool Complete,
    int Measurements,
    int MeasurementsRequired,
    IReadOnlyList<Campaigns.CampaignDay> Days,
    IReadOnlyList<CriterionReport> Criteria);

/// <summary>One criterion for one direction: its threshold, what was counted against what was required, the finding, and the measurements that decided it.</summary>
public sealed record CriterionReport(
    string Criterion,
    [property: AllowedValues("download", "upload")] string Direction,
    string Wording,
    double? ThresholdMbps,
    [property: AllowedValues("met", "not_met", "not_assessed")] string Outcome,
    int Observed,
    int Required,
    int OutOf,
    string Finding,
    IReadOnlyList<DecidingMeasurement> Deciding);

/// <summary>A measurement that decided a criterion: its start (UTC and local), its local calendar day and the direction's speed.</summary>
public sealed record DecidingMeasurement(DateTimeOffset StartedAt, string StartedLocal, DateOnly Day, double Mbps);

/// <summary>A campaign that overlaps a month, with its verdict's outcome and the link to its own report.</summary>
public sealed record CampaignOverlap(
    string Id,
    string Rules,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    [property: AllowedValues("deviation", "no_deviation", "incomplete", "not_assessed", "unknown_rules")] string Outcome,
    string Report);

/// <summary>
/// The range outside any outage: its seconds (cut at the time of the report), the seconds and whole minutes down
/// (overlapping outages counted once, an outage that began before the range from its start), the outages and the
/// longest, and each outage with its cause.
/// </summary>
public sealed record AvailabilityFigures(
    double Seconds,
    double DownSeconds,
    double DownMinutes,
    [property: Range(0.0, 1.0)] double Availability,
    int Outages,
    double? LongestSeconds,
    IReadOnlyList<OutageLine> List);

/// <summary>
/// One outage: its start (UTC and local), its length, and its cause: <c>local</c> the probe's own network or router
/// (the gateway was silent too), <c>internet</c> the provider's side (the gateway answered), <c>unknown</c> no gateway to tell.
/// </summary>
public sealed record OutageLine(
    DateTimeOffset StartedAt,
    string StartedLocal,
    double DurationSeconds,
    [property: AllowedValues("local", "internet", "unknown")] string Cause,
    bool Ongoing);

/// <summary>
/// One ping target over the range, from its one-minute roll-ups: the median, 90th and 99th percentile of the minute
/// medians (the history keeps each minute's median, not each echo), the loss ratio (lost / sent over the range) and the
/// jitter (the median of the minutes' jitter).
/// </summary>
public sealed record TargetLatency(
    string Target,
    [property: AllowedValues("public", "gateway")] string Role,
    string Address,
    int Minutes,
    long Sent,
    long Lost,
    double? LossRatio,
    double? MedianOfMinuteMediansMs,
    double? P90OfMinuteMediansMs,
    double? P99OfMinuteMediansMs,
    double? JitterMs);

/// <summary>
/// One DNS server over the range, from its one-minute roll-ups: the queries and those that failed (no answer, or an error
/// response), their ratio, and the median of the minutes' median answer times.
/// </summary>
public sealed record DnsServerFigures(string Server, int Minutes, long Queries, long Failures, double? FailureRatio, double? MedianOfMinuteMediansMs);

/// <summary>Latency under load from the speed tests: the median of their idle latencies against the median of those measured while downloading and while uploading.</summary>
public sealed record LoadedLatency(int Tests, double? IdleMedianMs, double? DownloadMedianMs, double? UploadMedianMs, double? DownloadIncreaseMs, double? UploadIncreaseMs);

/// <summary>How the figures were measured, and the files they were computed from.</summary>
public sealed record ReportMethod(
    [property: Description("The speed test servers used in the range (their names).")] IReadOnlyList<string> Servers,
    string Version,
    [property: Description("Whether the user stated the probe is on a cable to the router; null: not stated.")] bool? Wired,
    IReadOnlyList<string> Sentences,
    string Dns,
    IReadOnlyList<ReportCsvFile> Files,
    string NotCertified);

/// <summary>A CSV file of the report's range as <c>/api/history/...?format=csv</c> serves it, and the SHA-256 of its exact bytes.</summary>
public sealed record ReportCsvFile(
    [property: AllowedValues("speedtests", "outages", "latency")] string Table,
    string Url,
    [property: Description("The SHA-256 of the file's bytes, lowercase hexadecimal (what `sha256sum` prints).")] string Sha256,
    long Bytes,
    int Rows);
