using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Configuration;

public static class OptionsRegistration
{
    /// <summary>The root section of the probe's own settings.</summary>
    public const string Root = "Monitor";

    /// <summary>Validates at start that every section under <see cref="Root"/> is one that a feature reads.</summary>
    public static IServiceCollection AddMonitorSectionCheck(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<MonitorSections>, MonitorSectionsValidator>();
        // Registered before the features' options, so that a misspelt key is reported before the defaults it left.
        services.AddOptions<MonitorSections>().ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to a section under <see cref="Root"/> and validates it at start with
    /// <typeparamref name="TValidator"/>; <see cref="MonitorSectionsValidator"/> rejects keys it does not read.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(
        this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton(new KnownSection(section, typeof(TOptions)));
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(ConfigurationPath.Combine(Root, section)))
            .ValidateOnStart();
    }
}
