using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// The AppHost's settings, the same for every command: appsettings.json beside it, then the environment, then
/// <c>--Section:Key=value</c> arguments; each section bound strictly (an unknown key is an error, not ignored).
/// </summary>
public static class StackSettings
{
    public static IConfiguration Build(IEnumerable<string> arguments) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine([.. arguments])
        .Build();

    /// <summary><paramref name="section"/> bound to <typeparamref name="T"/>, or its problems (unknown keys, values that do not convert), one sentence each.</summary>
    public static (T? Options, IReadOnlyList<string> Errors) Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
        IConfiguration configuration, string section)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = configuration.GetSection(section);
        var unknown = SettingsCheck.UnknownKeys(settings, typeof(T)).ToList();
        if (unknown.Count > 0)
        {
            return (null, unknown);
        }

        try
        {
            return (settings.Get<T>() ?? new T(), []);
        }
        catch (InvalidOperationException exception)
        {
            return (null, [exception.Message]);
        }
    }
}
