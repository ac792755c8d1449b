using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;

namespace InternetMonitor.Probe.Probing.Http;

public static class HttpServiceCollectionExtensions
{
    public static IServiceCollection AddHttpProbing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HttpProbeOptions, HttpProbeOptionsValidator>(HttpProbeOptions.Section).Bind(OptionsRegistration.Section(configuration, HttpProbeOptions.Section));
        services.AddSingleton<IProber<HttpTarget, HttpResult>, HttpProber>();
        services.AddSingleton<IRecorder<HttpResult>, HttpMetricsRecorder>();
        services.AddSingleton<IRecorder<HttpResult>, HttpLogRecorder>();
        services.AddSingleton<IRecorder<HttpResult>, HttpTraceRecorder>();
        services.AddSingleton<IScheduledJob, HttpJob>();
        return services;
    }
}
