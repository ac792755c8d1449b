using InternetMonitor.AppHost.Model;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>The environment the stack's parts are configured by, where their flags do not reach.</summary>
public static class StackEnvironment
{
    /// <summary>
    /// The probe's: every <c>Monitor</c> setting of the AppHost passed on as it is (<c>Monitor__Icmp__Interval</c>), so
    /// the stack has one place for its configuration, and the address it listens on.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> Probe(IConfiguration configuration, ResourceContext context, int port)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(context);
        yield return new("Urls", $"http://{context.Address(port)}");

        // Its appsettings.json is beside its assembly; its working directory (for the budget file) is its data folder.
        yield return new("ASPNETCORE_CONTENTROOT", context.ProjectDirectory(StackBuilder.ProbeAssembly));
        foreach (var setting in configuration.GetSection("Monitor").AsEnumerable().Where(pair => pair.Value is not null))
        {
            // In a compose file a dollar sign starts a variable: a setting's own is written $$.
            var value = context.Containers is null ? setting.Value! : setting.Value!.Replace("$", "$$", StringComparison.Ordinal);
            yield return new(setting.Key.Replace(":", "__", StringComparison.Ordinal), value);
        }
    }

    /// <summary>Grafana's: its port and folders, and the data sources' URLs that observability/grafana/provisioning reads.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Grafana(ResourceContext context, int port, Resource prometheus, Resource loki, Resource alertmanager)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.DataDirectory("grafana");
        yield return new("GF_SERVER_HTTP_ADDR", context.ListenHost);
        yield return new("GF_SERVER_HTTP_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("GF_PATHS_DATA", data);
        yield return new("GF_PATHS_LOGS", Path.Combine(data, "log"));
        yield return new("GF_PATHS_PROVISIONING", context.Config("grafana/provisioning"));
        yield return new("GF_ANALYTICS_REPORTING_ENABLED", "false");
        yield return new("GF_AUTH_ANONYMOUS_ENABLED", "false");
        yield return new("GF_USERS_ALLOW_SIGN_UP", "false");
        yield return new("INTERNET_MONITOR_DASHBOARDS_PATH", context.Config("grafana/dashboards"));
        yield return new("INTERNET_MONITOR_PROMETHEUS_URL", context.Url(prometheus).AbsoluteUri.TrimEnd('/'));
        yield return new("INTERNET_MONITOR_LOKI_URL", context.Url(loki).AbsoluteUri.TrimEnd('/'));
        yield return new("INTERNET_MONITOR_ALERTMANAGER_URL", context.Url(alertmanager).AbsoluteUri.TrimEnd('/'));
    }
}
