using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Probing.Icmp;

public static class IcmpServiceCollectionExtensions
{
    public static IServiceCollection AddIcmpProbing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TargetOptions, TargetOptionsValidator>(TargetOptions.Section).Bind(OptionsRegistration.Section(configuration, TargetOptions.Section));
        services.AddValidatedOptions<IcmpOptions, IcmpOptionsValidator>(IcmpOptions.Section).Bind(OptionsRegistration.Section(configuration, IcmpOptions.Section));
        services.AddSingleton(_ => new RouteTable());
        services.AddSingleton<TargetResolver>();
        services.AddSingleton<MonitoredTargets>();
        services.AddSingleton<IPinger, IcmpProber>();
        services.AddSingleton<OpenIcmpChannels>();
        services.AddSingleton<PingLatencySummary>();
        services.AddSingleton<IExposedFamily>(provider => provider.GetRequiredService<PingLatencySummary>());
        services.AddSingleton<PingMetricsRecorder>();
        services.AddSingleton<IRecorder<PingResult>>(provider => provider.GetRequiredService<PingMetricsRecorder>());
        services.AddSingleton<IRecorder<LateReply>>(provider => provider.GetRequiredService<PingMetricsRecorder>());
        services.AddSingleton<PingLogRecorder>();
        services.AddSingleton<IRecorder<PingResult>>(provider => provider.GetRequiredService<PingLogRecorder>());
        services.AddSingleton<IRecorder<LateReply>>(provider => provider.GetRequiredService<PingLogRecorder>());
        services.AddSingleton<IRecorder<PingResult>, PingRoundTraceRecorder>();
        services.AddSingleton<PingHealthCheck>();
        services.AddSingleton<IRecorder<PingResult>>(provider => provider.GetRequiredService<PingHealthCheck>());
        services.AddHealthChecks().AddCheck<PingHealthCheck>("icmp");
        services.AddHostedService<PingJob>();
        return services;
    }
}
