using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Storage;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>The history database and the recorders that keep results in it, ahead of those that report them.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HistoryOptions, HistoryOptionsValidator>(HistoryOptions.Section)
            .Bind(OptionsRegistration.Section(configuration, HistoryOptions.Section))
            .PostConfigure<IOptions<DataFolderOptions>>((options, folder) => options.Path = folder.InDataFolder(options.Path));
        services.AddSingleton<HistoryMetrics>();
        services.AddSingleton<HistoryWriter>();
        services.AddSingleton<HistoryReader>();
        services.AddHistoryReadLimit();
        services.AddSingleton<LatencyHistory>();
        services.AddHostedService(provider => provider.GetRequiredService<LatencyHistory>());
        services.AddSingleton<IRecorder<PingResult>>(provider => provider.GetRequiredService<LatencyHistory>());
        services.AddSingleton<DnsHistory>();
        services.AddHostedService(provider => provider.GetRequiredService<DnsHistory>());
        services.AddSingleton<IRecorder<DnsResult>>(provider => provider.GetRequiredService<DnsHistory>());
        services.AddSingleton<ICommittingRecorder<SpeedTestResult>, SpeedTestHistoryRecorder>();
        services.AddSingleton<ICommittingRecorder<OutageEvent>, OutageHistoryRecorder>();
        services.AddSingleton<ICommittingRecorder<AlertNotification>, AlertHistoryRecorder>();
        services.AddHostedService<HistoryLocationLog>();
        services.AddHealthChecks().AddCheck<HistoryHealthCheck>("history");
        return services;
    }
}
