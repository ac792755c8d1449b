using System.Reflection;
using System.Runtime.InteropServices;
using Prometheus;

namespace InternetMonitor.Probe.Telemetry;

/// <summary>Exposes <c>internet_monitor_build_info</c>: always 1, the version in its labels.</summary>
public sealed class BuildInfo(IMetricFactory factory) : IHostedService
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        factory.CreateGauge(
                "internet_monitor_build_info",
                "Always 1; the probe's version and runtime are in the labels.",
                ["version", "runtime"])
            .WithLabels(Version, RuntimeInformation.FrameworkDescription)
            .Set(1);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
