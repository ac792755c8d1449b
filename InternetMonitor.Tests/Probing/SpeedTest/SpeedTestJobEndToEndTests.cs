using System.Globalization;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary>Two probes in process: one serves the Cloudflare-compatible endpoints, the other runs its scheduled speed test against it.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestJobEndToEndTests
{
    [Fact]
    public async Task One_probe_measures_another_on_its_schedule_and_exports_old_and_new_names()
    {
        await using var server = await SpeedTestServerTypeTests.StartServingProbeAsync();
        var state = Path.Combine(Directory.CreateTempSubdirectory("im-budget-").FullName, "budget.json");
        await using var client = await ProbeHost.StartAsync(ProbeHost.ScheduledSpeedTestArguments(ProbeHost.BaseAddress(server), state));

        var metrics = await ProbeHost.WaitForMetricsAsync(client, m => m.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 1
            && m.Value("internet_monitor_upload_total", ("server", "peer")) == 1); // its figures are set once its row is kept

        var download = metrics.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "download"), ("server", "peer"));
        Assert.True(download > 0);
        Assert.True(metrics.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "upload"), ("server", "peer")) > 0);
        Assert.NotNull(metrics.Value("internet_monitor_speedtest_latency_seconds", ("load", "idle"), ("server", "peer")));
        Assert.NotNull(metrics.Value("internet_monitor_last_success_timestamp_seconds", ("check", "speedtest")));

        // The old dashboard's formula, size / (duration_sum / duration_count), reads as a speed with the same label set.
        foreach (var direction in (string[])["download", "upload"])
        {
            var size = metrics.Value($"internet_monitor_{direction}_size_bytes", ("server", "peer"))!.Value;
            var sum = metrics.Value($"internet_monitor_{direction}_duration_seconds_sum", ("server", "peer"))!.Value;
            var count = metrics.Value($"internet_monitor_{direction}_duration_seconds_count", ("server", "peer"))!.Value;
            Assert.Equal(1, count);
            Assert.True(size / (sum / count) > 0);
            Assert.Equal(1, metrics.Value($"internet_monitor_{direction}_total", ("server", "peer")));
            Assert.Equal(0, metrics.Value($"internet_monitor_{direction}_failures_total", ("server", "peer")));
        }

        // What the client counted is what the server served, and what the budget was charged.
        var servedMetrics = await ProbeHost.ScrapeAsync(server);
        var down = metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "download"))!.Value;
        var up = metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "upload"))!.Value;
        Assert.Equal(servedMetrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "download")), down);
        Assert.Equal(servedMetrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "upload")), up);
        Assert.Equal(down + up, metrics.Value("internet_monitor_speedtest_budget_used_bytes", ("period", "day")));
        Assert.Equal(1_000_000_000 - (down + up), metrics.Value("internet_monitor_speedtest_budget_remaining_bytes", ("period", "day")));
        var saved = await File.ReadAllTextAsync(state, TestContext.Current.CancellationToken);
        Assert.Contains($"\"dayDownload\": {down.ToString(CultureInfo.InvariantCulture)}", saved, StringComparison.Ordinal);
        await client.StopAsync(TestContext.Current.CancellationToken);
        Directory.Delete(Path.GetDirectoryName(state)!, recursive: true);
    }
}
