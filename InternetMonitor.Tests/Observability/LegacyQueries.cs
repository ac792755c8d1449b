namespace InternetMonitor.Tests.Observability;

/// <summary>
/// The queries of the old project's dashboard, on its names, in the forms the design records: a speed as a size
/// gauge divided by the mean of a duration histogram (plain vector matching, so both sides must carry the same
/// labels), a mean round trip as a rate of sums over a rate of counts, and its gauges and counters read directly.
/// </summary>
public static class LegacyQueries
{
    public static IReadOnlyList<string> All { get; } =
    [
        "internet_monitor_download_size_bytes / (internet_monitor_download_duration_seconds_sum / internet_monitor_download_duration_seconds_count)",
        "internet_monitor_upload_size_bytes / (internet_monitor_upload_duration_seconds_sum / internet_monitor_upload_duration_seconds_count)",
        "rate(internet_monitor_ping_latency_seconds_sum[5m]) / rate(internet_monitor_ping_latency_seconds_count[5m])",
        "internet_monitor_up",
        "internet_monitor_ping_total",
        "internet_monitor_ping_packet_loss_total",
        "internet_monitor_ping_jitter_seconds",
        "internet_monitor_ping_latency_seconds",
        "internet_monitor_download_total",
        "internet_monitor_download_failures_total",
        "internet_monitor_upload_total",
        "internet_monitor_upload_failures_total",
    ];

    /// <summary>An old name whose series appear only once something failed: on a healthy line there is nothing to read.</summary>
    public static string FailuresOnly => "internet_monitor_ping_failures_total";
}
