namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// One try at a campaign's measurement: when it started, and whether it measured both directions; otherwise why not
/// (<c>outage</c>, <c>budget</c>, or the speed test's failure reason). A try that did not measure is tried again
/// <see cref="CampaignRules.RetryAfter"/> later the same day. A measured one carries its speeds in Mbit/s.
/// </summary>
public sealed record CampaignAttempt(DateTimeOffset At, bool Measured, string? Reason = null, double DownloadMbps = 0, double UploadMbps = 0);
