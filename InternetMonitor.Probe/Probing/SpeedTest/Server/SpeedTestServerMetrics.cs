using Prometheus;

namespace InternetMonitor.Probe.Probing.SpeedTest.Server;

/// <summary>What this probe served to other probes' speed tests; created with the first request it serves.</summary>
public sealed class SpeedTestServerMetrics(IMetricFactory factory)
{
    public Counter Served { get; } = factory.CreateCounter(
        "internet_monitor_speedtest_server_bytes_total",
        "Bytes this probe served to other probes' speed tests, by direction (download: sent, upload: received).",
        ["direction"]);
}
