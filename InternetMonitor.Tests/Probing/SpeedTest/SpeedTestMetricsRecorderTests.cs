using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Tests.Support;
using Prometheus;

namespace InternetMonitor.Tests.Probing.SpeedTest;

[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestMetricsRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    [Fact]
    public async Task A_success_sets_the_speed_the_old_size_and_duration_and_the_loaded_latency()
    {
        var recorder = new SpeedTestMetricsRecorder(Metrics.WithCustomRegistry(_registry));
        TransferSample[] rounds = [new(SpeedTestDirection.Download, 1_000_000, 1, 1_000_000, TimeSpan.FromSeconds(0.5)), new(SpeedTestDirection.Download, 1_000_000, 1, 1_000_000, TimeSpan.FromSeconds(1.5))];
        var download = new DirectionResult(SpeedTestDirection.Download, 1.9e6, rounds, 2_100_000, 2, new LatencySummary([Ms(40), Ms(60)]), null, null);

        recorder.Record(new SpeedTestResult("isp", SpeedTestServerType.Cloudflare, T0, T0, new LatencySummary([Ms(10), Ms(12)]), download, null, null, null, null));

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(1.9e6, metrics.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "download"), ("server", "isp")));
        Assert.Equal(2_000_000, metrics.Value("internet_monitor_download_size_bytes", ("server", "isp")));
        Assert.Equal(2, metrics.Value("internet_monitor_download_duration_seconds_sum", ("server", "isp")));
        Assert.Equal(0.05, metrics.Value("internet_monitor_speedtest_latency_seconds", ("load", "download"), ("server", "isp"))!.Value, 9);
        Assert.Equal(0.011, metrics.Value("internet_monitor_speedtest_latency_seconds", ("load", "idle"), ("server", "isp"))!.Value, 9);
        Assert.Equal(0.039, metrics.Value("internet_monitor_speedtest_latency_increase_seconds", ("direction", "download"), ("server", "isp"))!.Value, 9);
        Assert.Equal(2, metrics.Value("internet_monitor_speedtest_streams", ("direction", "download"), ("server", "isp")));
        Assert.Equal(2_100_000, metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "download")));

        // The old names carry one identical label set, so that plain vector matching between them works.
        var labelSets = new[] { "internet_monitor_download_size_bytes", "internet_monitor_download_duration_seconds_sum", "internet_monitor_download_duration_seconds_count", "internet_monitor_download_total", "internet_monitor_download_failures_total" }
            .Select(name => string.Join(",", metrics.Samples(name).Single().Labels.OrderBy(label => label.Key).Select(label => $"{label.Key}={label.Value}")))
            .Distinct();
        Assert.Equal(["server=isp"], labelSets);
    }

    [Fact]
    public async Task A_failure_counts_a_failed_transfer_by_reason_and_leaves_the_last_speed_alone()
    {
        var recorder = new SpeedTestMetricsRecorder(Metrics.WithCustomRegistry(_registry));
        recorder.Record(SpeedTestJobTests.Result(1000, 1000) with { Server = "isp" });
        var failedUpload = new DirectionResult(SpeedTestDirection.Upload, null, [], 500, 1, LatencySummary.None, SpeedTestFailureReason.Reset, "reset");
        var unreachable = new SpeedTestResult("isp", SpeedTestServerType.Cloudflare, T0, T0, LatencySummary.None, null, null, SpeedTestFailureReason.Connect, SpeedTestPhase.Latency, "refused");

        recorder.Record(SpeedTestJobTests.Result(1000, 0) with { Server = "isp", Upload = failedUpload, Reason = SpeedTestFailureReason.Reset, FailedIn = SpeedTestPhase.Upload });
        recorder.Record(unreachable);

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(1, metrics.Value("internet_monitor_speedtest_failures_total", ("server", "isp"), ("phase", "upload"), ("reason", "reset")));
        Assert.Equal(1, metrics.Value("internet_monitor_speedtest_failures_total", ("server", "isp"), ("phase", "latency"), ("reason", "connect")));
        Assert.Equal(2, metrics.Value("internet_monitor_upload_total", ("server", "isp")));
        Assert.Equal(1, metrics.Value("internet_monitor_upload_failures_total", ("server", "isp")));
        Assert.Equal(3, metrics.Value("internet_monitor_download_total", ("server", "isp"))); // the unreachable run is a failed download
        Assert.Equal(1, metrics.Value("internet_monitor_download_failures_total", ("server", "isp")));
        Assert.Equal(1e6, metrics.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "upload"), ("server", "isp")));
        Assert.Equal(1000 + 500, metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "upload")));
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
