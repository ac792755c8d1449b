using System.ComponentModel.DataAnnotations;

namespace InternetMonitor.Probe.History;

/// <summary>A speed test as the API gives it: times in UTC, speeds in Mbit/s (as plans are sold), latencies in ms.</summary>
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
    string? Detail);

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

/// <summary>One target's minute of echoes.</summary>
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
    double? MaxMs);

/// <summary>
/// The share of a range outside any outage: <c>availability</c> = 1 - outage seconds / range seconds, the range cut at
/// the time of the answer; outages that began before the range count from its start.
/// </summary>
public sealed record AvailabilityRecord(DateTimeOffset From, DateTimeOffset To, double Seconds, double OutageSeconds, int Outages, [property: Range(0.0, 1.0)] double Availability);
