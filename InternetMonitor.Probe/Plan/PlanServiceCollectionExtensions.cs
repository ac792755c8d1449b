using InternetMonitor.Probe.Configuration;

namespace InternetMonitor.Probe.Plan;

public static class PlanServiceCollectionExtensions
{
    public static IServiceCollection AddPlan(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PlanOptions, PlanOptionsValidator>(PlanOptions.Section).Bind(OptionsRegistration.Section(configuration, PlanOptions.Section));
        services.AddHostedService<PlanMetrics>();
        return services;
    }
}
