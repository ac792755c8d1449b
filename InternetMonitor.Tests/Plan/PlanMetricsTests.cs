using InternetMonitor.Probe.Plan;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Tests.Plan;

[Trait(Layer.Key, Layer.Unit)]
public sealed class PlanMetricsTests
{
    [Fact]
    public async Task The_plan_is_exported_in_bytes_per_second_and_a_direction_without_one_has_no_series()
    {
        var registry = Metrics.NewCustomRegistry();
        var plan = new PlanMetrics(Options.Create(new PlanOptions { DownloadMbps = 100, UploadMbps = 0 }), Metrics.WithCustomRegistry(registry));

        await plan.StartAsync(TestContext.Current.CancellationToken);

        var metrics = await LabFixture.ScrapeAsync(registry);
        Assert.Equal(12_500_000, metrics.Value("internet_monitor_plan_bytes_per_second", ("direction", "download")));
        Assert.Null(metrics.Value("internet_monitor_plan_bytes_per_second", ("direction", "upload")));
    }

    [Fact]
    public async Task The_normal_and_minimum_speeds_have_series_of_their_own_where_the_contract_states_them()
    {
        var registry = Metrics.NewCustomRegistry();
        var options = new PlanOptions { DownloadMbps = 100, DownloadNormalMbps = 80, DownloadMinimumMbps = 50, UploadMbps = 40, UploadMinimumMbps = 16 };
        var plan = new PlanMetrics(Options.Create(options), Metrics.WithCustomRegistry(registry));

        await plan.StartAsync(TestContext.Current.CancellationToken);

        var metrics = await LabFixture.ScrapeAsync(registry);
        Assert.Equal(10_000_000, metrics.Value("internet_monitor_plan_normal_bytes_per_second", ("direction", "download")));
        Assert.Equal(6_250_000, metrics.Value("internet_monitor_plan_minimum_bytes_per_second", ("direction", "download")));
        Assert.Equal(2_000_000, metrics.Value("internet_monitor_plan_minimum_bytes_per_second", ("direction", "upload")));
        Assert.Null(metrics.Value("internet_monitor_plan_normal_bytes_per_second", ("direction", "upload")));
    }
}
