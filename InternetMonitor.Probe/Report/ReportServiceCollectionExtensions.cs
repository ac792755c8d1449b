using InternetMonitor.Probe.Configuration;

namespace InternetMonitor.Probe.Report;

public static class ReportServiceCollectionExtensions
{
    public static IServiceCollection AddReport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ReportOptions, ReportOptionsValidator>(ReportOptions.Section).Bind(OptionsRegistration.Section(configuration, ReportOptions.Section));
        services.AddSingleton<ReportReader>();
        return services;
    }
}
