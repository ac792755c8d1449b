using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.History;

/// <summary>
/// A speed test as the API gives it: times in UTC, speeds in Mbit/s (as plans are sold), latencies in ms; the
/// measurement campaign it was measured for, or null for one of the regular schedule or asked for on demand.
/// </summary>
public sealed record SpeedTestRecord(
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string Server,
    [property: AllowedValues("cloudflare", "librespeed", "url")] string ServerType,
    [property: AllowedValues("success", "failure")] string Result,
    double? DownloadMbps,
    double? UploadMbps,
    long DownloadBytes,
    long UploadBytes,
    double? IdleLatencyMs,
    double? IdleJitterMs,
    double? DownloadLatencyMs,
    double? UploadLatencyMs,
    string? Reason,
    string? FailedIn,
    string? Detail,
    string? Campaign = null);

/// <summary>An outage; <c>endedAt</c> is null while it lasts, and its duration runs to the time of the answer.</summary>
public sealed record OutageRecord(DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double DurationSeconds, [property: AllowedValues("local", "internet", "unknown")] string Cause, bool Ongoing);

/// <summary>An alert notification Alertmanager delivered, kept once.</summary>
public sealed record AlertRecord(
    DateTimeOffset ReceivedAt,
    [property: AllowedValues("firing", "resolved")] string Status,
    string AlertName,
    string Severity,
    string Summary,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string Fingerprint,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>One target's minute of echoes; jitter is the mean absolute difference between consecutive round trips (null before schema 3 or with fewer than two answers).</summary>
public sealed record LatencyMinuteRecord(
    DateTimeOffset Minute,
    string Target,
    [property: AllowedValues("public", "gateway")] string Role,
    string Address,
    int Sent,
    int Lost,
    double LossRatio,
    double? MinMs,
    double? MedianMs,
    double? P90Ms,
    double? MaxMs,
    double? JitterMs = null);

/// <summary>
/// The share of a range outside any outage: <c>availability</c> = 1 - outage seconds / range seconds, the range cut at
/// the time of the answer; outages that began before the range count from its start.
/// </summary>
public sealed record AvailabilityRecord(DateTimeOffset From, DateTimeOffset To, double Seconds, double OutageSeconds, int Outages, [property: Range(0.0, 1.0)] double Availability);

/// <summary>
/// A measurement campaign as the history keeps it: its rules' key, its start, the IANA time zone its calendar days are
/// counted in, whether the user stated the probe is wired (null: not stated), the plan at its start, and its end
/// (null while it runs) with an outcome (<c>completed</c>, <c>cancelled</c>, <c>expired</c>) and why.
/// </summary>
public sealed record CampaignRecord(
    string Id,
    string Rules,
    DateTimeOffset StartedAt,
    string TimeZone,
    bool? Wired,
    CampaignPlan Plan,
    DateTimeOffset? EndedAt = null,
    [property: AllowedValues(null, "completed", "cancelled", "expired")] string? Outcome = null,
    string? Detail = null)
{
    public bool Running => EndedAt is null;
}

/// <summary>The contract's speeds (Mbit/s, 0: not stated) a campaign was started with, kept so that its verdict does not change with a later plan.</summary>
public sealed record CampaignPlan(
    double DownloadMbps,
    double UploadMbps,
    double DownloadNormalMbps,
    double UploadNormalMbps,
    double DownloadMinimumMbps,
    double UploadMinimumMbps)
{
    public static CampaignPlan Of(Plan.PlanOptions plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(plan.DownloadMbps, plan.UploadMbps, plan.DownloadNormalMbps, plan.UploadNormalMbps, plan.DownloadMinimumMbps, plan.UploadMinimumMbps);
    }

    public Plan.PlanOptions ToOptions() => new()
    {
        DownloadMbps = DownloadMbps,
        UploadMbps = UploadMbps,
        DownloadNormalMbps = DownloadNormalMbps,
        UploadNormalMbps = UploadNormalMbps,
        DownloadMinimumMbps = DownloadMinimumMbps,
        UploadMinimumMbps = UploadMinimumMbps,
    };
}

/// <summary>One DNS server's minute of queries: how many, how many failed, the median time of those answered.</summary>
public sealed record DnsMinuteRecord(DateTimeOffset Minute, string Server, int Queries, int Failures, double? MedianMs);
