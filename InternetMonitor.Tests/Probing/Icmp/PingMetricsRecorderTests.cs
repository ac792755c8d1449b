using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Scheduling;
using InternetMonitor.Probe.Targets;
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

    public PingMetricsRecorderTests()
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        _recorder = new PingMetricsRecorder(factory, Options.Create(new IcmpOptions()), new JobMetrics(factory), new OpenIcmpChannels());
    }

    [Fact]
    public async Task A_lost_packet_counts_as_one_whole_packet_and_observes_no_rtt()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(12)));
        _recorder.Record(new PingResult(Target, 2, T0.AddSeconds(1), PingOutcome.Timeout, null));
        _recorder.Record(new PingResult(Target, 3, T0.AddSeconds(2), PingOutcome.NoRoute, null));

        var metrics = await LabFixture.ScrapeAsync(_registry);
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

        var metrics = await LabFixture.ScrapeAsync(_registry);
        var sum = Assert.Single(metrics.Samples("internet_monitor_ping_latency_seconds_sum"));
        var count = Assert.Single(metrics.Samples("internet_monitor_ping_latency_seconds_count"));
        Assert.Equal(sum.Labels, count.Labels);
        Assert.Equal(0.020, sum.Value / count.Value, 9); // the old dashboard's mean
    }

    [Fact]
    public async Task The_latency_summary_gives_the_median_p90_and_p99_of_the_window()
    {
        // 1 ms .. 1000 ms in a shuffled order: the truth is 500, 900 and 990 ms to within 0.1 % of rank.
        var random = new Random(7);
        foreach (var (milliseconds, sequence) in Enumerable.Range(1, 1000).OrderBy(_ => random.Next()).Select((ms, i) => (ms, i)))
        {
            _recorder.Record(new PingResult(Target, (ushort)sequence, T0.AddSeconds(sequence), PingOutcome.Reply, TimeSpan.FromMilliseconds(milliseconds)));
        }

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.InRange(metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.5"))!.Value, 0.499, 0.501);
        Assert.InRange(metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.9"))!.Value, 0.899, 0.901);
        Assert.InRange(metrics.Value("internet_monitor_ping_latency_seconds", ("target", "cloudflare"), ("quantile", "0.99"))!.Value, 0.989, 0.991);
    }

    [Fact]
    public async Task The_rtt_lands_in_the_right_histogram_bucket()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(3)));

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(0, metrics.Value("internet_monitor_ping_rtt_seconds_bucket", ("target", "cloudflare"), ("le", "0.0016")));
        Assert.Equal(1, metrics.Value("internet_monitor_ping_rtt_seconds_bucket", ("target", "cloudflare"), ("le", "0.0032")));
    }

    [Fact]
    public async Task A_late_reply_is_counted_but_is_not_a_sample()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Timeout, null));
        _recorder.Record(new LateReply(Target, 1, TimeSpan.FromSeconds(3)));

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(1, metrics.Value("internet_monitor_ping_late_replies_total", ("target", "cloudflare")));
        Assert.Equal(0, metrics.Value("internet_monitor_ping_rtt_seconds_count", ("target", "cloudflare")) ?? 0);
        Assert.Equal(1, metrics.Value("internet_monitor_ping_packet_loss_total", ("target", "cloudflare")));
    }

    [Fact]
    public async Task The_target_is_described_and_its_reply_marks_the_icmp_job_successful()
    {
        _recorder.Record(new PingResult(Target, 1, T0, PingOutcome.Reply, TimeSpan.FromMilliseconds(500)));

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(1, metrics.Value("internet_monitor_target_info", ("target", "cloudflare"), ("address", "192.0.2.1"), ("role", "public")));
        Assert.Equal(T0.AddMilliseconds(500).ToUnixTimeMilliseconds() / 1000.0, metrics.Value("internet_monitor_last_success_timestamp_seconds", ("check", "icmp")));
    }
}
