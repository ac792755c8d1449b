using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;

namespace InternetMonitor.Probe.Probing.Dns;

public static class DnsServiceCollectionExtensions
{
    public static IServiceCollection AddDnsProbing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DnsOptions, DnsOptionsValidator>(DnsOptions.Section).Bind(OptionsRegistration.Section(configuration, DnsOptions.Section));
        services.AddSingleton<IProber<DnsQuery, DnsResult>, DnsProber>();
        services.AddSingleton<IRecorder<DnsResult>, DnsMetricsRecorder>();
        services.AddSingleton<IRecorder<DnsResult>, DnsLogRecorder>();
        services.AddSingleton<IRecorder<DnsResult>, DnsTraceRecorder>();
        services.AddSingleton<IScheduledJob, DnsJob>();
        return services;
    }
}
