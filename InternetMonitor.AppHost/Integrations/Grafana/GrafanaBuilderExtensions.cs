using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Grafana;

/// <summary>Grafana: the shipped dashboards (internet, host, containers, sites), provisioned with their data sources (Grafana's own apt repository; no Debian package).</summary>
public static class GrafanaBuilderExtensions
{
    /// <summary>
    /// Adds Grafana with observability/grafana/ provisioned, anonymous access and sign-up off; optional in the compose
    /// project (profile <c>grafana</c>), where it has no default admin password: compose refuses to start until .env sets one.
    /// </summary>
    public static IResourceBuilder<IStackPartResource> AddGrafana(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var layout = builder.GetStack().Layout;
        var grafana = builder.AddStackPart(name, new StackPart(["grafana-server", "grafana"], "grafana", GrafanaImageTags.Image, GrafanaImageTags.Tag, "GRAFANA_IMAGE", port, "/api/health"))
            .WithProfile("grafana")
            .WithDataVolume("/var/lib/grafana")
            .WithConfig("grafana");
        return grafana
            .WithArgs(context =>
            {
                if (!layout.InContainers)
                {
                    context.Args.Add("--homepath=/usr/share/grafana"); // the image's entrypoint sets its own
                }
            })
            .WithEnvironment(context =>
            {
                var data = layout.DataDirectory(grafana.Resource);
                var environment = context.EnvironmentVariables;
                environment["GF_SERVER_HTTP_ADDR"] = layout.ListenHost;
                environment["GF_SERVER_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                environment["GF_PATHS_DATA"] = data;
                environment["GF_PATHS_LOGS"] = Path.Combine(data, "log");
                environment["GF_PATHS_PROVISIONING"] = layout.Config("grafana/provisioning");
                environment["GF_ANALYTICS_REPORTING_ENABLED"] = "false";
                environment["GF_ANALYTICS_CHECK_FOR_UPDATES"] = "false";
                environment["GF_AUTH_ANONYMOUS_ENABLED"] = "false";
                environment["GF_USERS_ALLOW_SIGN_UP"] = "false";
                environment["INTERNET_MONITOR_DASHBOARDS_PATH"] = layout.Config("grafana/dashboards");
            })
            .PublishAsComposeService(service =>
                service.Environment["GF_SECURITY_ADMIN_PASSWORD"] = "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD in .env}");
    }

    /// <summary>
    /// Its data sources (observability/grafana/provisioning): Prometheus, Loki and Alertmanager as Grafana reaches them; no
    /// <paramref name="loki"/> at the central machine, whose logs stay at each site (its Loki data source has no address).
    /// </summary>
    public static IResourceBuilder<IStackPartResource> WithDataSources(this IResourceBuilder<IStackPartResource> builder,
        IResourceBuilder<IResource> prometheus, IResourceBuilder<IResource>? loki, IResourceBuilder<IResource> alertmanager)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(alertmanager);
        var layout = builder.ApplicationBuilder.GetStack().Layout;
        return builder.WithEnvironment(context =>
        {
            var from = builder.Resource;
            context.EnvironmentVariables["INTERNET_MONITOR_PROMETHEUS_URL"] = layout.Url(from, prometheus.Resource).AbsoluteUri.TrimEnd('/');
            context.EnvironmentVariables["INTERNET_MONITOR_LOKI_URL"] = loki is null ? string.Empty : layout.Url(from, loki.Resource).AbsoluteUri.TrimEnd('/');
            context.EnvironmentVariables["INTERNET_MONITOR_ALERTMANAGER_URL"] = layout.Url(from, alertmanager.Resource).AbsoluteUri.TrimEnd('/');
        });
    }
}
