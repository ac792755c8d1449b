using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Configuration;

public static class OptionsRegistration
{
    /// <summary>The root section of the probe's own settings.</summary>
    public const string Root = "Monitor";

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to a section under <see cref="Root"/>, rejects unknown keys (a typo
    /// is an error, not a silent default) and validates at start with <typeparamref name="TValidator"/>.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(
        this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(ConfigurationPath.Combine(Root, section)), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
    }
}
