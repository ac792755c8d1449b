using InternetMonitor.Probe.History;

namespace InternetMonitor.Probe.Report;

/// <summary>
/// What the history holds for a report's range, as the report builder takes it: the speed tests that started in it
/// (every one: a campaign's report keeps its own), the outages that overlap it, its latency minutes (read as they are
/// enumerated, once), its DNS minutes, for a month the campaigns that overlap it with their own tests, and the range's CSV files.
/// </summary>
public sealed record ReportHistory(
    IReadOnlyList<SpeedTestRecord> SpeedTests,
    IReadOnlyList<OutageRecord> Outages,
    IEnumerable<LatencyMinuteRecord> Latency,
    IReadOnlyList<CampaignHistory> Campaigns,
    IReadOnlyList<ReportCsvFile> Files,
    IReadOnlyList<DnsMinuteRecord> Dns);

/// <summary>A campaign and the speed tests of its range (its own among them).</summary>
public sealed record CampaignHistory(CampaignRecord Campaign, IReadOnlyList<SpeedTestRecord> Tests);
