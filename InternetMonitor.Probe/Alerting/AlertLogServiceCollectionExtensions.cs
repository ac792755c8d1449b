using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Alerting;

public static class AlertLogServiceCollectionExtensions
{
    public static IServiceCollection AddAlertLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AlertLogOptions, AlertLogOptionsValidator>(AlertLogOptions.Section)
            .Bind(OptionsRegistration.Section(configuration, AlertLogOptions.Section));
        services.AddSingleton<AlertLog>();
        services.AddSingleton<AlertIntake>();
        services.AddSingleton<AlertLogMetrics>();
        services.AddSingleton<IRecorder<AlertNotification>>(provider => provider.GetRequiredService<AlertLog>());
        services.AddSingleton<IRecorder<AlertNotification>>(provider => provider.GetRequiredService<AlertLogMetrics>());
        services.AddSingleton<IRecorder<AlertNotification>, AlertLogRecorder>();
        return services;
    }
}
