using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Probe.Plan;

/// <summary>Exports the contract's speeds at start, in bytes per second like the measured ones; a speed the contract does not state has no series.</summary>
public sealed class PlanMetrics(IOptions<PlanOptions> options, IMetricFactory factory) : IHostedService
{
    private readonly Gauge _maximum = factory.CreateGauge(
        "internet_monitor_plan_bytes_per_second",
        "The contract's maximum speed, by direction (Monitor:Plan:DownloadMbps, UploadMbps, converted from Mbit/s); absent for a direction without one.",
        ["direction"]);

    private readonly Gauge _normal = factory.CreateGauge(
        "internet_monitor_plan_normal_bytes_per_second",
        "The speed the contract says is normally available, by direction (Monitor:Plan:DownloadNormalMbps, UploadNormalMbps); absent when not stated.",
        ["direction"]);

    private readonly Gauge _minimum = factory.CreateGauge(
        "internet_monitor_plan_minimum_bytes_per_second",
        "The least speed the contract promises, by direction (Monitor:Plan:DownloadMinimumMbps, UploadMinimumMbps); absent when not stated.",
        ["direction"]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var direction in (string[])["download", "upload"])
        {
            var speeds = options.Value.Speeds(direction);
            foreach (var (gauge, mbps) in new[] { (_maximum, speeds.MaximumMbps), (_normal, speeds.NormalMbps), (_minimum, speeds.MinimumMbps) })
            {
                if (mbps > 0)
                {
                    gauge.WithLabels(direction).Set(mbps * 1e6 / 8);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
