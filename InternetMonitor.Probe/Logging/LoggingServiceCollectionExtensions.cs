using InternetMonitor.Probe.Configuration;

namespace InternetMonitor.Probe.Logging;

public static class LoggingServiceCollectionExtensions
{
    /// <summary>The settings of the log-on-change recorders (<see cref="ChangeLog{TKey}"/>): each check's recorder makes its own.</summary>
    public static IServiceCollection AddLoggingOnChange(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LoggingOptions, LoggingOptionsValidator>(LoggingOptions.Section).Bind(OptionsRegistration.Section(configuration, LoggingOptions.Section));
        return services;
    }
}
