using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Server;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Report;
using InternetMonitor.Probe.Scheduling;
using InternetMonitor.Probe.Storage;
using InternetMonitor.Probe.Telemetry;
using Prometheus;

namespace InternetMonitor.Probe.Hosting;

/// <summary>The probe's composition: each feature registers itself with one AddXxx line.</summary>
public static class ProbeServiceCollectionExtensions
{
    public static WebApplicationBuilder AddProbe(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });

        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MemoryReturn>();
        services.AddMonitorSectionCheck();
        builder.AddConnectionLimits();
        services.AddDataFolder(configuration); // before the features whose relative paths it resolves
        services.AddProbeMetrics();
        services.AddSingleton(typeof(ResultPublisher<>));
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<JobScheduler>());
        services.AddLoggingOnChange(configuration);
        services.AddIcmpProbing(configuration);
        services.AddOutageDetection(configuration);
        services.AddDnsProbing(configuration);
        services.AddHttpProbing(configuration);
        services.AddSpeedTest(configuration);
        services.AddPlan(configuration);
        services.AddReport(configuration);
        services.AddCampaigns();
        services.AddSpeedTestServer(configuration);
        services.AddAlertLog(configuration);
        services.AddHistory(configuration);
        services.AddApiDocument();
        services.AddHostedService<StartupGarbageCollection>(); // last: after every other service has started
        return builder;
    }

    private static void AddProbeMetrics(this IServiceCollection services)
    {
        // One registry per application instance, so that tests can run several probes in one process.
        services.AddSingleton(_ =>
        {
            var registry = Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<IMetricFactory>(provider => Metrics.WithCustomRegistry(provider.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton<MetricsExposition>();
        services.AddSingleton<BuildInfo>();
        services.AddHostedService(provider => provider.GetRequiredService<BuildInfo>());
    }
}
