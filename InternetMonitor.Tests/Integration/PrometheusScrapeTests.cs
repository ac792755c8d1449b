using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>A real Prometheus scrapes the probe on loopback; the old project's formulas still give one series per target.</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_scrapes_the_probe_and_the_old_dashboard_formulas_still_work()
    {
        Prerequisite.RequireRoot();
        await using var app = ProbeProgram.Build([.. ProbeHost.LoopbackArguments(), "--Monitor:Targets:Public:lo6=::1"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = ProbeHost.BaseAddress(app);
        await using var prometheus = await PrometheusServer.StartAsync("probe", $"127.0.0.1:{address.Port}");

        await prometheus.WaitForAsync("up{job=\"probe\"}", results => results.Count == 1 && results[0].Value == 1);
        await prometheus.WaitForAsync("internet_monitor_up", results => results.Count == 1 && results[0].Value == 1);
        var sending = await prometheus.WaitForAsync("rate(internet_monitor_ping_packets_sent_total[10s])", results => results.Count == 2 && results.All(r => r.Value > 0));

        // The old dashboard's mean RTT: sum and count must carry identical labels, or this returns nothing.
        var mean = await prometheus.WaitForAsync(
            "rate(internet_monitor_ping_latency_seconds_sum[10s]) / rate(internet_monitor_ping_latency_seconds_count[10s])",
            results => results.Count == 2);
        Assert.All(mean, result => Assert.InRange(result.Value, 1e-6, 0.1));
        Assert.Equal(["lo", "lo6"], mean.Select(result => result.Labels["target"]).Order());

        // The quantiles the probe writes itself are parsed and stored like prometheus-net's own series.
        var p99 = await prometheus.WaitForAsync("internet_monitor_ping_latency_seconds{quantile=\"0.99\"}", results => results.Count == 2);
        Assert.All(p99, result => Assert.InRange(result.Value, 1e-6, 0.1));

        // The old names are there, and loss is counted in whole packets (none here).
        Assert.Equal(2, (await prometheus.QueryAsync("internet_monitor_ping_total")).Count);
        Assert.All(await prometheus.QueryAsync("internet_monitor_ping_packet_loss_total"), result => Assert.Equal(0, result.Value));
        Assert.Equal(2, (await prometheus.QueryAsync("internet_monitor_ping_jitter_seconds")).Count);

        // A per-target RTT quantile from the histogram, the way the recording rules will take it.
        var p90 = await prometheus.QueryAsync("histogram_quantile(0.9, sum by (target, le) (rate(internet_monitor_ping_rtt_seconds_bucket[10s])))");
        Assert.Equal(2, p90.Count);
        Assert.All(p90, result => Assert.InRange(result.Value, 1e-6, 0.1));
        Assert.Equal(2, sending.Count);
        Assert.True((await prometheus.QueryAsync("scrape_samples_scraped{job=\"probe\"}")).Single().Value > 50);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
