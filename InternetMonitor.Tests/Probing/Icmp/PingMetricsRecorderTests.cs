using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Scheduling;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Probe.Telemetry;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Tests.Probing.Icmp;

[Trait(Layer.Key, Layer.Unit)]
public sealed class PingMetricsRecorderTests
{
    private static readonly PingTarget Target = new("cloudflare", IPAddress.Parse("192.0.2.1"), TargetRole.Public);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly PingMetricsRecorder _recorder;
    private readonly MetricsExposition _exposition;

    public PingMetricsRecorderTests() => (_recorder, _exposition) = Build(_registry, new IcmpOptions());

    [Fact]
    public async Task A_lost_packet_counts_as_one_whole_packet_and_observes_no_rtt()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(12)));
        _recorder.Record(new PingResult(Target, 2, T0.AddSeconds(1), PingOutcome.Timeout, null));
        _recorder.Record(new PingResult(Target, 3, T0.AddSeconds(2), PingOutcome.NoRoute, null));

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        Assert.Equal(3, metrics.Value("internet_monitor_ping_total", ("target", "cloudflare")));
        Assert.Equal(3, metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "cloudflare")));
        Assert.Equal(1, metrics.Value("internet_monitor_ping_packets_received_total", ("target", "cloudflare")));
        Assert.Equal(2, metrics.Value("internet_monitor_ping_packet_loss_total", ("target", "cloudflare")));
        Assert.Equal(1, metrics.Value("internet_monitor_ping_failures_total", ("target", "cloudflare"), ("reason", "timeout")));
        Assert.Equal(1, metrics.Value("internet_monitor_ping_failures_total", ("target", "cloudflare"), ("reason", "no_route")));
        Assert.Equal(1, metrics.Value("internet_monitor_ping_rtt_seconds_count", ("target", "cloudflare")));
        Assert.Equal(0.012, metrics.Value("internet_monitor_ping_rtt_seconds_sum", ("target", "cloudflare"))!.Value, 9);
        Assert.Equal(2.0 / 3, metrics.Value("internet_monitor_ping_loss_ratio", ("target", "cloudflare"))!.Value, 9);
    }

    [Fact]
    public async Task The_old_latency_summary_has_the_same_labels_on_sum_and_count()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(10)));
        _recorder.Record(new PingResult(Target, 2, T0.AddSeconds(1), PingOutcome.Reply, TimeSpan.FromMilliseconds(30)));

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        var sum = Assert.Single(metrics.Samples("internet_monitor_ping_latency_seconds_sum"));
        var count = Assert.Single(metrics.Samples("internet_monitor_ping_latency_seconds_count"));
        Assert.Equal(sum.Labels, count.Labels);
        Assert.Equal(0.020, sum.Value / count.Value, 9); // the old dashboard's mean
    }

    [Fact]
    public async Task The_latency_summary_gives_the_exact_median_p90_and_p99_of_the_window()
    {
        // 1 ms .. 1000 ms in a shuffled order, an hour's window: the nearest ranks are exactly 500, 900 and 990 ms.
        var (recorder, exposition) = Build(Metrics.NewCustomRegistry(), new IcmpOptions { StatisticsWindow = TimeSpan.FromHours(1) });
        var random = new Random(7);
        foreach (var (milliseconds, sequence) in Enumerable.Range(1, 1000).OrderBy(_ => random.Next()).Select((ms, i) => (ms, i)))
        {
            recorder.Record(new PingResult(Target, (ushort)sequence, T0.AddSeconds(sequence), PingOutcome.Reply, TimeSpan.FromMilliseconds(milliseconds)));
        }

        var metrics = await LabFixture.ScrapeAsync(exposition);
        Assert.Equal(0.500, metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.5")));
        Assert.Equal(0.900, metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.9")));
        Assert.Equal(0.990, metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.99")));
        Assert.Equal(1000, metrics.Value("internet_monitor_ping_latency_seconds_count", ("target", "cloudflare")));
        Assert.Equal(500.5, metrics.Value("internet_monitor_ping_latency_seconds_sum", ("target", "cloudflare"))!.Value, 9);
    }

    [Fact]
    public async Task The_quantiles_forget_the_echoes_sent_before_the_window_and_the_sum_and_count_do_not()
    {
        // A minute of 1 s replies, then a minute of 10 ms replies and a lost echo: the window (1 min) holds only the
        // fast ones, so every quantile is 10 ms; the count and sum still hold all 120 replies.
        for (var i = 0; i < 60; i++)
        {
            _recorder.Record(new PingResult(Target, (ushort)i, T0.AddSeconds(i), PingOutcome.Reply, TimeSpan.FromSeconds(1)));
        }

        for (var i = 60; i < 121; i++)
        {
            var lost = i == 90;
            _recorder.Record(new PingResult(Target, (ushort)i, T0.AddSeconds(i), lost ? PingOutcome.Timeout : PingOutcome.Reply, lost ? null : TimeSpan.FromMilliseconds(10)));
        }

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        Assert.All(new[] { "0.5", "0.9", "0.99" }, quantile => Assert.Equal(0.010, metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", quantile))));
        Assert.Equal(120, metrics.Value("internet_monitor_ping_latency_seconds_count", ("target", "cloudflare")));
        Assert.Equal(60.6, metrics.Value("internet_monitor_ping_latency_seconds_sum", ("target", "cloudflare"))!.Value, 9);
        Assert.Equal(1.0 / 61, metrics.Value("internet_monitor_ping_loss_ratio", ("target", "cloudflare"))!.Value, 9);
    }

    [Fact]
    public async Task A_target_that_has_only_lost_echoes_has_a_zero_count_and_no_quantile_to_give()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Timeout, null));

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        Assert.Equal(0, metrics.Value("internet_monitor_ping_latency_seconds_count", ("target", "cloudflare")));
        Assert.Equal(0, metrics.Value("internet_monitor_ping_latency_seconds_sum", ("target", "cloudflare")));
        Assert.True(double.IsNaN(metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.5"))!.Value));
    }

    [Fact]
    public async Task The_latency_summary_is_absent_before_the_first_echo_and_one_family_after()
    {
        Assert.DoesNotContain("internet_monitor_ping_latency_seconds", (await LabFixture.ScrapeAsync(_exposition)).Text, StringComparison.Ordinal);

        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(10)));
        _recorder.Record(new PingResult(Target with { Name = "quad9" }, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(20)));
        var text = (await LabFixture.ScrapeAsync(_exposition)).Text;
        Assert.Single(text.Split('\n'), line => line == "# TYPE internet_monitor_ping_latency_seconds summary");
        Assert.Contains("internet_monitor_ping_latency_seconds{target=\"quad9\",quantile=\"0.99\"} 0.02\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_summary_longer_than_a_chunk_goes_out_whole_and_in_order()
    {
        // 1,000 targets write about 300 kB: many 16 kB chunks, none lost or split inside a line.
        for (var i = 0; i < 1000; i++)
        {
            _recorder.Record(new PingResult(Target with { Name = $"t{i:0000}" }, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(i + 1)));
        }

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        var counts = metrics.Samples("internet_monitor_ping_latency_seconds_count");
        Assert.Equal(1000, counts.Count);
        Assert.Equal([.. Enumerable.Range(0, 1000).Select(i => $"t{i:0000}")], counts.Select(sample => sample.Labels["target"]));
        Assert.Equal(0.5, metrics.Value("internet_monitor_ping_latency_seconds", ("target", "t0499"), ("quantile", "0.5")));
        Assert.Equal(1000, metrics.Samples("internet_monitor_ping_total").Count);
    }

    [Fact]
    public async Task In_openmetrics_the_summary_comes_before_the_registrys_families_and_the_text_ends_in_eof()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(10)));

        var text = (await LabFixture.ScrapeAsync(_exposition, ExpositionFormat.OpenMetricsText)).Text;
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), line => line == "# EOF");
        Assert.True(text.IndexOf("internet_monitor_ping_latency_seconds_count", StringComparison.Ordinal) < text.IndexOf("internet_monitor_ping_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_rtt_lands_in_the_right_histogram_bucket()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(3)));

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        Assert.Equal(0, metrics.Value("internet_monitor_ping_rtt_seconds_bucket", ("target", "cloudflare"), ("le", "0.0016")));
        Assert.Equal(1, metrics.Value("internet_monitor_ping_rtt_seconds_bucket", ("target", "cloudflare"), ("le", "0.0032")));
    }

    [Fact]
    public async Task A_late_reply_is_counted_but_is_not_a_sample()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Timeout, null));
        _recorder.Record(new LateReply(Target, 1, TimeSpan.FromSeconds(3)));

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        Assert.Equal(1, metrics.Value("internet_monitor_ping_late_replies_total", ("target", "cloudflare")));
        Assert.Equal(0, metrics.Value("internet_monitor_ping_rtt_seconds_count", ("target", "cloudflare")) ?? 0);
        Assert.Equal(1, metrics.Value("internet_monitor_ping_packet_loss_total", ("target", "cloudflare")));
    }

    [Fact]
    public async Task The_target_is_described_and_its_reply_marks_the_icmp_job_successful()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(500)));

        var metrics = await LabFixture.ScrapeAsync(_exposition);
        Assert.Equal(1, metrics.Value("internet_monitor_target_info", ("target", "cloudflare"), ("address", "192.0.2.1"), ("role", "public")));
        Assert.Equal(T0.AddMilliseconds(500).ToUnixTimeMilliseconds() / 1000.0, metrics.Value("internet_monitor_last_success_timestamp_seconds", ("check", "icmp")));
    }

    private static (PingMetricsRecorder Recorder, MetricsExposition Exposition) Build(CollectorRegistry registry, IcmpOptions options)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var channels = new OpenIcmpChannels();
        var latency = new PingLatencySummary(Options.Create(options), channels);
        return (new PingMetricsRecorder(factory, Options.Create(options), new JobMetrics(factory), channels, latency), new MetricsExposition(registry, [latency]));
    }
}
