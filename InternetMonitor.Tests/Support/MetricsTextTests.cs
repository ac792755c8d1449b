using InternetMonitor.Lab;
using Prometheus;

namespace InternetMonitor.Tests.Support;

/// <summary>The tests' one reader of a metric: a sample by its labels, a total over samples, from a registry as a scrape sees it.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class MetricsTextTests
{
    private const string Exposition = """
        # HELP internet_monitor_ping_packets_sent_total Echo requests sent.
        # TYPE internet_monitor_ping_packets_sent_total counter
        internet_monitor_ping_packets_sent_total{target="lo",family="ipv4"} 10
        internet_monitor_ping_packets_sent_total{target="gw",family="ipv4"} 5
        internet_monitor_ping_packets_sent_total{target="lo",family="ipv6"} 2.5
        internet_monitor_up 1
        """;

    [Fact]
    public void A_value_is_the_one_sample_whose_labels_match_and_null_when_none_does()
    {
        var metrics = new MetricsText(Exposition);

        Assert.Equal(5, metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "gw")));
        Assert.Equal(1, metrics.Value("internet_monitor_up"));
        Assert.Null(metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "far")));
        Assert.Throws<InvalidOperationException>(() => metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "lo")));
    }

    [Fact]
    public void A_sum_totals_every_sample_whose_labels_match_and_is_zero_when_none_does()
    {
        var metrics = new MetricsText(Exposition);

        Assert.Equal(17.5, metrics.Sum("internet_monitor_ping_packets_sent_total"));
        Assert.Equal(12.5, metrics.Sum("internet_monitor_ping_packets_sent_total", ("target", "lo")));
        Assert.Equal(0, metrics.Sum("internet_monitor_ping_packets_lost_total"));
    }

    [Fact]
    public async Task A_scrape_of_a_registry_reads_what_its_metrics_hold()
    {
        var registry = Metrics.NewCustomRegistry();
        Metrics.WithCustomRegistry(registry).CreateCounter("internet_monitor_test_total", "A counter of the test's.", "check").WithLabels("dns").Inc(3);

        var metrics = await MetricsText.ScrapeAsync(registry, TestContext.Current.CancellationToken);

        Assert.Equal(3, metrics.Value("internet_monitor_test_total", ("check", "dns")));
    }
}
