using System.Diagnostics.CodeAnalysis;
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
    /// Validates <typeparamref name="TOptions"/> at start with <typeparamref name="TValidator"/> and declares its
    /// section under <see cref="Root"/>, so that <see cref="MonitorSectionsValidator"/> rejects keys it does not read.
    /// The caller binds the returned builder to <see cref="Section"/>: at a call site where the options type is
    /// known, the configuration binder's source generator writes the binding (no reflection: it also runs
    /// natively compiled).
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton(new KnownSection(section, typeof(TOptions)));
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>The configuration section <paramref name="section"/> under <see cref="Root"/>.</summary>
    public static IConfigurationSection Section(IConfiguration configuration, string section)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(ConfigurationPath.Combine(Root, section));
    }
}
