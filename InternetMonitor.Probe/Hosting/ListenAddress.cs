using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Where the probe listens, and why: the command line's <c>--urls</c>, then <c>Urls</c> or <c>ASPNETCORE_URLS</c> from the
/// environment, then any other settings file, then <see cref="Default"/> (this host only).
/// </summary>
/// <remarks>
/// ASP.NET Core reads <c>ASPNETCORE_URLS</c> before appsettings.json, so a <c>Urls</c> in a settings file would win over the
/// environment; the order is decided here instead and handed to the host as one setting.
/// </remarks>
public sealed partial record ListenAddress(string Urls, string Source)
{
    /// <summary>The shipped default: loopback, the old port. Reaching the probe from the network is asked for, not assumed.</summary>
    public const string Default = "http://127.0.0.1:8000";

    private const string Key = "urls";

    /// <summary>Chooses the address from <paramref name="configuration"/>'s sources, highest first as the order above says.</summary>
    public static ListenAddress From(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providers = configuration.Providers.Reverse().ToList(); // the later a source was added, the higher it ranks
        IEnumerable<(IConfigurationProvider Provider, string Source)> ranked = [
            .. providers.OfType<CommandLineConfigurationProvider>().Select(provider => ((IConfigurationProvider)provider, "the command line (--urls)")),
            .. providers.OfType<EnvironmentVariablesConfigurationProvider>().Select(provider => ((IConfigurationProvider)provider, Environment(provider))),
            .. providers.Where(provider => provider is not (CommandLineConfigurationProvider or EnvironmentVariablesConfigurationProvider))
                .Select(provider => (provider, Describe(provider))),
        ];
        foreach (var (provider, source) in ranked)
        {
            if (provider.TryGet(Key, out var urls) && !string.IsNullOrWhiteSpace(urls))
            {
                return new ListenAddress(urls, source);
            }
        }

        return new ListenAddress(Default, "the default: this host only; set --urls or ASPNETCORE_URLS, e.g. http://0.0.0.0:8000, to be reached from the network");
    }

    /// <summary>Chooses the address and makes it the host's; returns it for the log line at start.</summary>
    public static ListenAddress Apply(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var address = From(builder.Configuration);
        builder.WebHost.UseUrls(address.Urls);
        return address;
    }

    /// <summary>The log line at start: the addresses bound (a port 0 resolved) and the source that chose them.</summary>
    public void Log(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        LogListening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ListenAddress>(), string.Join(", ", bound.Count > 0 ? bound : [Urls]), Source);
    }

    // The provider names its prefix only in its description ("... Prefix: 'ASPNETCORE_'").
    private static string Environment(EnvironmentVariablesConfigurationProvider provider) => provider.ToString() switch
    {
        var text when text.Contains("'ASPNETCORE_'", StringComparison.Ordinal) => "ASPNETCORE_URLS",
        var text when text.Contains("'DOTNET_'", StringComparison.Ordinal) => "DOTNET_URLS",
        _ => "Urls in the environment",
    };

    private static string Describe(IConfigurationProvider provider) => provider switch
    {
        FileConfigurationProvider file => $"Urls in {file.Source.Path}",
        _ => "Urls in the settings",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Addresses} (from {Source})")]
    private static partial void LogListening(ILogger logger, string addresses, string source);
}
