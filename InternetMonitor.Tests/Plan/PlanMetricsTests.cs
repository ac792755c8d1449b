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
}
