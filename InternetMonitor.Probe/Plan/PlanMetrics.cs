using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Probe.Plan;

/// <summary>Exports the plan's speeds at start, in bytes per second like the measured ones; a direction without a plan has no series.</summary>
public sealed class PlanMetrics(IOptions<PlanOptions> options, IMetricFactory factory) : IHostedService
{
    private readonly Gauge _plan = factory.CreateGauge(
        "internet_monitor_plan_bytes_per_second",
        "The speed the provider sells, by direction (Monitor:Plan, converted from Mbit/s); absent for a direction without one.",
        ["direction"]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (direction, mbps) in new[] { ("download", options.Value.DownloadMbps), ("upload", options.Value.UploadMbps) })
        {
            if (mbps > 0)
            {
                _plan.WithLabels(direction).Set(mbps * 1e6 / 8);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
