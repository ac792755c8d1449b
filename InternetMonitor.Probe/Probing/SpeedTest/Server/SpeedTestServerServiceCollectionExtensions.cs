using InternetMonitor.Probe.Configuration;

namespace InternetMonitor.Probe.Probing.SpeedTest.Server;

public static class SpeedTestServerServiceCollectionExtensions
{
    public static IServiceCollection AddSpeedTestServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SpeedTestServerOptions, SpeedTestServerOptionsValidator>(SpeedTestServerOptions.Section)
            .Bind(OptionsRegistration.Section(configuration, SpeedTestServerOptions.Section));
        services.AddSingleton<SpeedTestServerMetrics>();
        return services;
    }
}
