using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Outages;

public static class OutageServiceCollectionExtensions
{
    public static IServiceCollection AddOutageDetection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OutageOptions, OutageOptionsValidator>(OutageOptions.Section).Bind(OptionsRegistration.Section(configuration, OutageOptions.Section));
        services.AddSingleton<ConnectivityMetrics>();
        services.AddSingleton<OutageDetector>();
        services.AddSingleton<IRecorder<PingResult>>(provider => provider.GetRequiredService<OutageDetector>());
        services.AddSingleton<IConnectivity>(provider => provider.GetRequiredService<OutageDetector>());
        services.AddSingleton<OutageLogRecorder>();
        services.AddSingleton<IRecorder<OutageEvent>>(provider => provider.GetRequiredService<OutageLogRecorder>());
        services.AddSingleton<IRecorder<PingResult>>(provider => provider.GetRequiredService<OutageLogRecorder>()); // its reminders' clock
        services.AddSingleton<IRecorder<OutageEvent>, OutageCountRecorder>();
        return services;
    }
}
